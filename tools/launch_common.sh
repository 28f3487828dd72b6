# Sourced by tools/dist_train.sh, dist_test.sh, slurm_train.sh and
# slurm_test.sh, not a command: the settings they share. Puts the repository
# (ROOT) on PYTHONPATH, takes PYTHON from the environment (default python)
# and defines the launcher command lines, run as
#   "${TORCHRUN[@]}" SCRIPT ARGS...  or  "${SRUN[@]}" SCRIPT ARGS...
# torchrun_command NPROC: TORCHRUN, NPROC processes on each of NNODES
#   machines (NNODES, NODE_RANK, MASTER_ADDR and PORT from the environment);
#   exports OMP_NUM_THREADS (default 1) for the processes.
# srun_command PARTITION JOB_NAME: SRUN, one task per GPU (GPUS in total,
#   GPUS_PER_NODE, CPUS_PER_TASK and SRUN_ARGS from the environment).
PYTHON=${PYTHON:-python}
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}"

torchrun_command() {
    export OMP_NUM_THREADS=${OMP_NUM_THREADS:-1}
    TORCHRUN=("$PYTHON" -m torch.distributed.run
        --nnodes="${NNODES:-1}" --node_rank="${NODE_RANK:-0}"
        --master_addr="${MASTER_ADDR:-127.0.0.1}"
        --nproc_per_node="$1" --master_port="${PORT:-29500}")
}

srun_command() {
    local gpus_per_node=${GPUS_PER_NODE:-4}
    # SRUN_ARGS unquoted: its words are separate srun options
    SRUN=(srun -p "$1" --job-name="$2" --gres=gpu:"$gpus_per_node"
        --ntasks="${GPUS:-4}" --ntasks-per-node="$gpus_per_node"
        --cpus-per-task="${CPUS_PER_TASK:-5}" --kill-on-bad-exit=1
        ${SRUN_ARGS:-} "$PYTHON" -u)
}
