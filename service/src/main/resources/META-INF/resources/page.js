// The operator page: polls api/page every second and redraws the models, their score strips and
// the NG gallery. Plain ES5 DOM code (no framework, no build step); every text from the service
// goes through textContent, never innerHTML, since frame ids come from the callers.
(function () {
  'use strict';
  var POLL_MS = 1000;
  var SVG = 'http://www.w3.org/2000/svg';
  var shownGallery = null;
  var lastUpdate = null;

  function el(tag, className, text) {
    var e = document.createElement(tag);
    if (className) {
      e.className = className;
    }
    if (text !== undefined) {
      e.textContent = text;
    }
    return e;
  }

  function svg(tag, attributes) {
    var e = document.createElementNS(SVG, tag);
    for (var name in attributes) {
      if (attributes.hasOwnProperty(name)) {
        e.setAttribute(name, attributes[name]);
      }
    }
    return e;
  }

  function stat(name, label, value) {
    var box = el('div', 'stat ' + name);
    var shown = el('span', 'value', value);
    shown.setAttribute('data-stat', name);
    box.appendChild(shown);
    box.appendChild(el('span', 'label', label));
    return box;
  }

  // Recent scores left to right, NG ones in red, against the threshold (dashed).
  function strip(model) {
    var width = 600, height = 90, pad = 6;
    var scores = model.scores, threshold = model.info.threshold;
    var top = threshold === null ? 0 : threshold;
    for (var i = 0; i < scores.length; i++) {
      top = Math.max(top, scores[i]);
    }
    top = top > 0 ? top * 1.15 : 1;
    var step = (width - 2 * pad) / Math.max(scores.length - 1, 1);
    function x(k) { return (pad + k * step).toFixed(1); }
    function y(v) { return (height - pad - (height - 2 * pad) * v / top).toFixed(1); }
    var root = svg('svg', {'class': 'strip', viewBox: '0 0 ' + width + ' ' + height, role: 'img',
      'aria-label': 'last ' + scores.length + ' scores of ' + model.info.id});
    if (threshold !== null) {
      root.appendChild(svg('line', {x1: 0, x2: width, y1: y(threshold), y2: y(threshold),
        stroke: '#b3261e', 'stroke-dasharray': '6 4', 'stroke-width': 1}));
      var label = svg('text', {x: width - pad, y: Number(y(threshold)) - 3, 'text-anchor': 'end',
        'font-size': 10, fill: '#b3261e'});
      label.textContent = 'threshold ' + threshold.toFixed(4);
      root.appendChild(label);
    }
    var points = [];
    for (var k = 0; k < scores.length; k++) {
      points.push(x(k) + ',' + y(scores[k]));
    }
    root.appendChild(svg('polyline', {points: points.join(' '), fill: 'none', stroke: '#5b6b82', 'stroke-width': 1}));
    for (var n = 0; n < scores.length; n++) {
      if (model.scoreNg[n]) {
        root.appendChild(svg('circle', {cx: x(n), cy: y(scores[n]), r: 2.5, fill: '#b3261e'}));
      }
    }
    return root;
  }

  function renderModel(model) {
    var info = model.info;
    var section = el('div', 'model');
    section.setAttribute('data-model', info.id);
    section.appendChild(el('h2', null, info.id));
    section.appendChild(el('div', 'meta', 'version ' + info.version + ' \u00b7 ' + info.device + ' \u00b7 threshold '
      + (info.threshold === null ? 'none (uncalibrated)' : info.threshold.toFixed(4))));
    var stats = el('div', 'stats');
    stats.appendChild(stat('frames', 'frames', String(model.frames)));
    stats.appendChild(stat('ok', 'OK', String(model.ok)));
    stats.appendChild(stat('ng', 'NG', String(model.ng)));
    stats.appendChild(stat('errors', 'errors', String(model.errors)));
    stats.appendChild(stat('ng-rate', 'NG rate', (100 * model.ngRate).toFixed(1) + ' %'));
    stats.appendChild(stat('p50', 'latency p50', model.latencyP50Ms.toFixed(1) + ' ms'));
    stats.appendChild(stat('p95', 'latency p95', model.latencyP95Ms.toFixed(1) + ' ms'));
    stats.appendChild(stat('batch', 'mean batch size', model.batchSize.toFixed(2)));
    if (model.uncalibrated > 0) {
      stats.appendChild(stat('uncalibrated', 'uncalibrated', String(model.uncalibrated)));
    }
    section.appendChild(stats);
    section.appendChild(strip(model));
    return section;
  }

  function renderGallery(frames) {
    var key = '';
    for (var i = 0; i < frames.length; i++) {
      key += frames[i].seq + ',';
    }
    if (key === shownGallery) {
      return; // unchanged: keep the images already loaded
    }
    shownGallery = key;
    var gallery = document.getElementById('ng-frames');
    gallery.textContent = '';
    if (frames.length === 0) {
      gallery.appendChild(el('p', 'hint', 'No NG frame yet.'));
    }
    for (var k = 0; k < frames.length; k++) {
      var f = frames[k];
      var figure = el('figure', 'ng');
      figure.setAttribute('data-seq', String(f.seq));
      var img = el('img');
      img.src = 'api/ng/' + f.seq;
      img.alt = 'NG frame ' + f.frameId + ' with its heatmap';
      figure.appendChild(img);
      var caption = el('figcaption');
      caption.appendChild(el('div', 'frame-id', f.frameId === '' ? '(no frame id)' : f.frameId));
      caption.appendChild(el('div', null, f.model + ' \u00b7 score ' + f.score.toFixed(4) + ' / ' + f.threshold.toFixed(4)));
      caption.appendChild(el('div', null, new Date(f.epochMillis).toLocaleTimeString()));
      figure.appendChild(caption);
      gallery.appendChild(figure);
    }
  }

  function render(data) {
    var state = document.getElementById('state');
    state.textContent = data.state.toLowerCase() + (data.detail ? ': ' + data.detail : '');
    state.className = 'state ' + data.state;
    var models = document.getElementById('models');
    models.textContent = '';
    for (var i = 0; i < data.models.length; i++) {
      models.appendChild(renderModel(data.models[i]));
    }
    renderGallery(data.ng);
    lastUpdate = new Date();
    document.getElementById('updated').textContent = 'updated ' + lastUpdate.toLocaleTimeString();
  }

  function stale(why) {
    var state = document.getElementById('state');
    state.textContent = 'no answer: ' + why;
    state.className = 'state stale';
    document.getElementById('updated').textContent = lastUpdate === null ? ''
      : 'last update ' + lastUpdate.toLocaleTimeString();
  }

  // The next poll is scheduled when this one ends, so a slow service never gets a pile of them.
  function poll() {
    var request = new XMLHttpRequest();
    request.open('GET', 'api/page');
    request.onload = function () {
      if (request.status === 200) {
        render(JSON.parse(request.responseText));
      } else {
        stale('HTTP ' + request.status);
      }
      setTimeout(poll, POLL_MS);
    };
    request.onerror = function () {
      stale('the service is unreachable');
      setTimeout(poll, POLL_MS);
    };
    request.send();
  }

  poll();
}());
