#!/usr/bin/env bash
# Distributed testing with torchrun.
#   tools/dist_test.sh CONFIG CHECKPOINT NUM_PROCESSES [test.py options]
# NNODES, NODE_RANK, MASTER_ADDR, PORT and PYTHON may be set in the environment.
set -euo pipefail
CONFIG=$1
CHECKPOINT=$2
NPROC=$3
source "$(dirname "$0")/launch_common.sh"
torchrun_command "$NPROC" 0

"${TORCHRUN[@]}" "$ROOT/tools/test.py" "$CONFIG" "$CHECKPOINT" \
    --launcher pytorch "${@:4}"
