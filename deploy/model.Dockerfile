# syntax=docker/dockerfile:1.7
#
# A model image: one model directory (manifest.json + weights) in an otherwise tiny image, for
# the init container of k8s/base to copy into the pod's models emptyDir. Tag it with the model's
# version, so a new model is a new tag and a rolling update (and a rollback) like any other.
#
#   docker build -f deploy/model.Dockerfile -t dad/model-demo:2026-11-28 .
#   docker build -f deploy/model.Dockerfile --build-arg MODEL_SRC=models-out/bottle-small \
#       --build-arg MODEL_ID=bottle -t dad/model-bottle:2026-11-28 .
#
# MODEL_ID becomes the directory name under /models, which is the model id the service serves.
# busybox: the init container needs only `cp`; it runs as 10001 with a read-only root.
ARG BASE_IMAGE=busybox:1.36.1
FROM ${BASE_IMAGE}
ARG MODEL_SRC=models/demo
ARG MODEL_ID=demo
COPY ${MODEL_SRC} /models/${MODEL_ID}
RUN chmod -R a+rX /models
USER 10001:10001
