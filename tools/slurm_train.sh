#!/usr/bin/env bash
# Training on a Slurm cluster, one task per GPU.
#   tools/slurm_train.sh PARTITION JOB_NAME CONFIG WORK_DIR [train.py options]
# GPUS (total), GPUS_PER_NODE, CPUS_PER_TASK and SRUN_ARGS may be set.
set -euo pipefail
CONFIG=$3
WORK_DIR=$4
source "$(dirname "$0")/launch_common.sh"
srun_command "$1" "$2"

"${SRUN[@]}" "$ROOT/tools/train.py" "$CONFIG" --work-dir="$WORK_DIR" \
    --launcher slurm "${@:5}"
