#!/bin/sh
# train-job.sh: what the training Job of k8s/training runs. It trains model MODEL_ID from the
# good images in DATA_ROOT/images/MODEL_ID and publishes it into MODELS_DIR, the folder the
# inspection service watches, where it appears whole (deploy/publish-model.sh) and is loaded
# without a restart (docs/DEPLOY.md, "Training on the cluster").
#
# Environment:
#   MODEL_ID    the model id: the directory name under MODELS_DIR, which clients ask for
#   DATA_ROOT   the training-data volume: images/MODEL_ID (an MVTec category or a folder of
#               good images) is read, work/ is written (checkpoints)
#   MODELS_DIR  the models volume the service watches (its dad.models.dir)
#   RUN_ID      what makes this run's work folder its own (the Job's uid, so that a retried pod
#               resumes its own checkpoint and never an earlier run's); default: this process
#   DEVICE      cpu, gpu or gpu:N (default: a GPU if there is one)
#   TRAIN_ARGS  more `dad train` options, split into words (e.g. --preset small --steps 4000)
set -eu

: "${MODEL_ID:?MODEL_ID is not set}"
: "${DATA_ROOT:?DATA_ROOT is not set}"
: "${MODELS_DIR:?MODELS_DIR is not set}"
here="$(cd "$(dirname "$0")" && pwd)"
run="${RUN_ID:-local-$$}"
work="$DATA_ROOT/work/$run/$MODEL_ID"
mkdir -p "$(dirname "$work")"

# --resume: a pod the Job retries continues from the last checkpoint of this run (in
# $work.training) instead of starting over. TRAIN_ARGS is split into words on purpose.
# shellcheck disable=SC2086
"$here/../bin/dad" train --data "$DATA_ROOT/images/$MODEL_ID" --out "$work" --resume \
    ${DEVICE:+--device "$DEVICE"} ${TRAIN_ARGS:-}

"$here/publish-model.sh" "$work" "$MODELS_DIR" "$MODEL_ID"
# The model is published; its checkpoints would only fill the volume run after run.
rm -rf "$DATA_ROOT/work/$run"
