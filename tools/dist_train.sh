#!/usr/bin/env bash
# Distributed training on one or several machines with torchrun.
#   tools/dist_train.sh CONFIG NUM_PROCESSES [train.py options]
# NNODES, NODE_RANK, MASTER_ADDR, PORT and PYTHON may be set in the environment.
# Works with GPUs (NCCL) and on CPU-only machines (gloo).
set -euo pipefail
CONFIG=$1
NPROC=$2
source "$(dirname "$0")/launch_common.sh"
torchrun_command "$NPROC"

# exec: a signal sent to this script (Slurm, Kubernetes) reaches torchrun,
# which forwards SIGTERM and SIGUSR1 to the training processes: they save a
# checkpoint and exit (smaug/engine/hooks/preemption_hook.py).
SIGNALS=SIGTERM,SIGINT,SIGHUP,SIGQUIT,SIGUSR1
export PET_SIGNALS_TO_HANDLE=${PET_SIGNALS_TO_HANDLE:-$SIGNALS}
exec "${TORCHRUN[@]}" "$ROOT/tools/train.py" "$CONFIG" --launcher pytorch \
    "${@:3}"
