#!/usr/bin/env bash
# Distributed training on one or several machines with torchrun.
#   tools/dist_train.sh CONFIG NUM_PROCESSES [train.py options]
# NNODES, NODE_RANK, MASTER_ADDR, PORT and PYTHON may be set in the environment.
# Works with GPUs (NCCL) and on CPU-only machines (gloo).
set -euo pipefail
CONFIG=$1
NPROC=$2
NNODES=${NNODES:-1}
NODE_RANK=${NODE_RANK:-0}
PORT=${PORT:-29500}
MASTER_ADDR=${MASTER_ADDR:-127.0.0.1}
PYTHON=${PYTHON:-python}
ROOT="$(cd "$(dirname "$0")/.." && pwd)"

export PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}"
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-1}
# exec: a signal sent to this script (Slurm, Kubernetes) reaches torchrun,
# which forwards SIGTERM and SIGUSR1 to the training processes: they save a
# checkpoint and exit (smaug/engine/preemption_hook.py).
SIGNALS=SIGTERM,SIGINT,SIGHUP,SIGQUIT,SIGUSR1
export PET_SIGNALS_TO_HANDLE=${PET_SIGNALS_TO_HANDLE:-$SIGNALS}
exec "$PYTHON" -m torch.distributed.run \
    --nnodes="$NNODES" --node_rank="$NODE_RANK" --master_addr="$MASTER_ADDR" \
    --nproc_per_node="$NPROC" --master_port="$PORT" \
    "$ROOT/tools/train.py" "$CONFIG" --launcher pytorch "${@:3}"
