#!/usr/bin/env bash
# Distributed training on one or several machines with torchrun.
#   tools/dist_train.sh CONFIG NUM_PROCESSES [train.py options]
# NNODES, NODE_RANK, MASTER_ADDR, PORT, MAX_RESTARTS and PYTHON may be set
# in the environment. Works with GPUs (NCCL) and on CPU-only machines (gloo).
#
# A process that dies or hangs makes torchrun restart all of them, up to
# MAX_RESTARTS times (default 3; 0: never); the restarted processes resume
# from the work_dir's latest checkpoint by themselves. SIGTERM or SIGUSR1
# sent to this script (Slurm, Kubernetes) reaches every training process,
# which saves a checkpoint and stops; the script then exits with 143 or 138
# (128 + the signal): "saved, requeue me". Its last line says what happened
# and how to resume (smaug/engine/utils/stop_report.py).
set -euo pipefail
CONFIG=$1
NPROC=$2
source "$(dirname "$0")/launch_common.sh"
torchrun_command "$NPROC" "${MAX_RESTARTS:-3}"
RESUME_COMMAND="$0 $*"
[[ " $* " == *" --resume "* ]] || RESUME_COMMAND+=" --resume"

supervise "${TORCHRUN[@]}" "$ROOT/tools/train.py" "$CONFIG" \
    --launcher pytorch "${@:3}"
