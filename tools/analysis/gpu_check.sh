#!/usr/bin/env bash
# One short GPU check (a few minutes on one H100/H200/A100): the dense 4-frame
# baseline (paper Table 7, row 1) against SMAUG 4->2 at batch sizes that fill
# a GPU, bf16 autocast, with tools/analysis/benchmark_pretrain.py. Per batch
# size it prints samples/s, peak memory, FLOPs, the SMAUG/dense ratios,
# achieved TFLOP/s and the model FLOP utilisation (MFU: achieved over the
# GPU's dense bf16 peak, from the benchmark's table of known GPUs or
# --peak-tflops), and the host-device syncs of one step per config. A config
# that runs out of memory at a batch size is reported as such.
#
#   tools/analysis/gpu_check.sh                      # batch 32 and 64
#   BATCH_SIZES="16 48" tools/analysis/gpu_check.sh --peak-tflops 400
#   tools/analysis/gpu_check.sh --dry-run            # CPU plumbing check
#
# Environment: PYTHON (default python), BATCH_SIZES (default "32 64"),
# WARMUP (3), STEPS (10), LOG (default work_dirs/gpu_check.log; the output
# is also printed). Other arguments go to benchmark_pretrain.py.
# --dry-run checks the plumbing on the CPU in a minute or two: batch 1,
# 112x112 frames, one step, no warm-up; its figures mean nothing.
set -euo pipefail

cd "$(dirname "$0")/../.."
PYTHON=${PYTHON:-python}
BATCH_SIZES=${BATCH_SIZES:-"32 64"}
WARMUP=${WARMUP:-3}
STEPS=${STEPS:-10}
LOG=${LOG:-work_dirs/gpu_check.log}
CONFIGS=(configs/ablations/table7_components/smaug_5m_dense_4frame.py
         configs/smaug_pretrain_5m_4frame.py)

EXTRA=(--device cuda --sync-debug)
if [[ ${1:-} == --dry-run ]]; then
    shift
    BATCH_SIZES=1
    WARMUP=0
    STEPS=1
    EXTRA=(--device cpu --img-size 112)
fi

mkdir -p "$(dirname "$LOG")"
for batch_size in $BATCH_SIZES; do
    echo "== batch size $batch_size =="
    "$PYTHON" tools/analysis/benchmark_pretrain.py "${CONFIGS[@]}" \
        --batch-size "$batch_size" --warmup "$WARMUP" --steps "$STEPS" \
        "${EXTRA[@]}" "$@"
done 2>&1 \
    | grep -v -e 'MultiScaleDeformableAttention' -e "warnings.warn('Fail" \
    | tee "$LOG"
