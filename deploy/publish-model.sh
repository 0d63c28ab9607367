#!/bin/sh
# publish-model.sh MODEL_DIR MODELS_DIR [ID]
#
# Puts a finished model directory (as `bin/dad train --out` writes it) into the folder a running
# service watches (dad.models.dir), so that the service sees it whole or not at all:
#
#   1. copies it to MODELS_DIR/.incoming-ID-<stamp>: the service passes over names that start
#      with a dot (or end in .tmp), however long the copy takes;
#   2. renames it to MODELS_DIR/ID, which is atomic on one file system. A model already there is
#      first renamed away to MODELS_DIR/.old-ID-<stamp>, then deleted: the service acts only on
#      what two of its scans agree on, so the moment between the two renames is not taken for a
#      removal, and it swaps the new version in beside the old one.
#
# ID (the model id clients ask for) defaults to MODEL_DIR's name. Used by the training Job
# (deploy/train-job.sh); works by hand on any folder a service watches (docs/SERVICE.md).
set -eu

if [ $# -lt 2 ] || [ $# -gt 3 ]; then
    echo "usage: $0 MODEL_DIR MODELS_DIR [ID]" >&2
    exit 2
fi
src="$1"
models="$2"
id="${3:-$(basename "$src")}"

case "$id" in
    .* | *.tmp | */* | "")
        echo "publish-model: '$id' is no model id (a plain directory name, not starting with '.' nor ending in .tmp)" >&2
        exit 2 ;;
esac
[ -f "$src/manifest.json" ] || { echo "publish-model: $src holds no manifest.json: not a finished model" >&2; exit 1; }
[ ! -f "$src/training-state.json" ] || { echo "publish-model: $src is a training checkpoint, not a finished model" >&2; exit 1; }
[ -d "$models" ] || { echo "publish-model: models folder $models does not exist" >&2; exit 1; }

stamp="$(date -u +%Y%m%dT%H%M%SZ)-$$"
incoming="$models/.incoming-$id-$stamp"
old="$models/.old-$id-$stamp"
# On any failure: no half copy left behind, and a model renamed away goes back in place.
trap 'rm -rf "$incoming"; if [ -e "$old" ] && [ ! -e "$models/$id" ]; then mv -T "$old" "$models/$id"; fi' EXIT

mkdir "$incoming"
# Only the model's own files: a model directory has no sub-directories the service needs.
find "$src" -maxdepth 1 -type f -exec cp {} "$incoming/" \;
chmod -R a+rX "$incoming"

if [ -e "$models/$id" ]; then
    mv -T "$models/$id" "$old"
    mv -T "$incoming" "$models/$id"
    rm -rf "$old"
    echo "publish-model: $models/$id replaced by $src"
else
    mv -T "$incoming" "$models/$id"
    echo "publish-model: $src published as $models/$id"
fi
