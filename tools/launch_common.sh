# Sourced by tools/dist_train.sh, dist_test.sh, slurm_train.sh and
# slurm_test.sh, not a command: the settings they share. Puts the repository
# (ROOT) on PYTHONPATH, takes PYTHON from the environment (default python)
# and defines the launcher command lines, run as
#   "${TORCHRUN[@]}" SCRIPT ARGS...  or  "${SRUN[@]}" SCRIPT ARGS...
# torchrun_command NPROC MAX_RESTARTS: TORCHRUN, NPROC processes on each of
#   NNODES machines (NNODES, NODE_RANK, MASTER_ADDR and PORT from the
#   environment), restarted together up to MAX_RESTARTS times when one of
#   them fails; the machines meet at MASTER_ADDR:PORT (torchrun's c10d
#   rendezvous, which also brings them together again after a restart);
#   on one machine, a PORT in use stops the script.
#   Exports OMP_NUM_THREADS (default 1) for the processes, and
#   TORCH_DISABLE_SHARE_RDZV_TCP_STORE=1: each attempt gets a new store (in
#   the store torchrun shares across attempts, the processes of a restart
#   that numbered the machines in another order find the previous
#   attempt's addresses and fail to connect; one machine is not affected).
# supervise COMMAND...: runs the torchrun COMMAND, hands it the stop signals
#   sent to this script, and ends this script with the status and the line
#   of smaug/engine/utils/stop_report.py.
# srun_command PARTITION JOB_NAME: SRUN, one task per GPU (GPUS in total,
#   GPUS_PER_NODE, CPUS_PER_TASK and SRUN_ARGS from the environment).
PYTHON=${PYTHON:-python}
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}"
# The signals torchrun hands on to its processes: SIGTERM and SIGUSR1 make
# training save a checkpoint and stop (smaug/engine/hooks/preemption_hook.py).
STOP_SIGNALS=(TERM USR1 INT HUP QUIT)

torchrun_command() {
    local address=${MASTER_ADDR:-127.0.0.1} port=${PORT:-29500}
    # one machine: a port in use is another job's, whose rendezvous this
    # one would wait to join (c10d); several: the first machine's
    if [ "${NNODES:-1}" = 1 ] && (: <>"/dev/tcp/$address/$port") 2>/dev/null
    then
        echo "$(basename "$0"): port $port of $address is in use (another" \
            "training on this machine?); choose a free one with PORT=..." >&2
        exit 1
    fi
    export OMP_NUM_THREADS=${OMP_NUM_THREADS:-1}
    export TORCH_DISABLE_SHARE_RDZV_TCP_STORE=${TORCH_DISABLE_SHARE_RDZV_TCP_STORE:-1}
    local endpoint=$address:$port
    TORCHRUN=("$PYTHON" -m torch.distributed.run
        --nnodes="${NNODES:-1}" --node_rank="${NODE_RANK:-0}"
        --nproc_per_node="$1" --max-restarts="$2"
        --rdzv-backend=c10d --rdzv-endpoint="$endpoint"
        --rdzv-id="smaug-$endpoint")
}

supervise() {
    local status=0 name child
    STOP_REPORT=$(mktemp -d)
    trap 'rm -rf "$STOP_REPORT"' EXIT
    export SMAUG_STOP_REPORT=$STOP_REPORT
    export PET_SIGNALS_TO_HANDLE=${PET_SIGNALS_TO_HANDLE:-$(IFS=,;
        echo "${STOP_SIGNALS[*]/#/SIG}")}
    "$@" &
    child=$!
    for name in "${STOP_SIGNALS[@]}"; do
        # shellcheck disable=SC2064  # $child and $name are fixed now
        trap "kill -s $name $child 2>/dev/null || true" "$name"
    done
    # a trapped signal ends `wait` early: wait again until torchrun has ended
    while kill -0 "$child" 2>/dev/null; do
        wait "$child" || true
    done
    wait "$child" || status=$?
    "$PYTHON" "$ROOT/smaug/engine/utils/stop_report.py" "$STOP_REPORT" \
        "$NPROC" "$status" "$RESUME_COMMAND" || exit $?
}

srun_command() {
    local gpus_per_node=${GPUS_PER_NODE:-4}
    # SRUN_ARGS unquoted: its words are separate srun options
    SRUN=(srun -p "$1" --job-name="$2" --gres=gpu:"$gpus_per_node"
        --ntasks="${GPUS:-4}" --ntasks-per-node="$gpus_per_node"
        --cpus-per-task="${CPUS_PER_TASK:-5}" --kill-on-bad-exit=1
        ${SRUN_ARGS:-} "$PYTHON" -u)
}
