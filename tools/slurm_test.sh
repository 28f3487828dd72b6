#!/usr/bin/env bash
# Testing on a Slurm cluster, one task per GPU.
#   tools/slurm_test.sh PARTITION JOB_NAME CONFIG CHECKPOINT [test.py options]
# GPUS (total), GPUS_PER_NODE, CPUS_PER_TASK and SRUN_ARGS may be set.
set -euo pipefail
CONFIG=$3
CHECKPOINT=$4
source "$(dirname "$0")/launch_common.sh"
srun_command "$1" "$2"

"${SRUN[@]}" "$ROOT/tools/test.py" "$CONFIG" "$CHECKPOINT" \
    --launcher slurm "${@:5}"
