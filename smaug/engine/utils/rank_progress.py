"""Every rank's progress, where every rank can read it, and what it tells
about a rank that holds the others up.

Each training process publishes a record, at each step and every few
seconds, to the rendezvous store of the job (the TCPStore at
``MASTER_ADDR:MASTER_PORT``: torchrun's agent serves it; under
``--launcher slurm`` rank 0 does): its host, pid, a beat count and its
progress in training. When a rank has
waited too long, it reads every record twice, a few beats apart
(:func:`find_holdups`): a rank whose beat did not move does not run (its
process is stopped, frozen or gone, or its machine is); a rank behind the
others is stuck where it is (between two iterations: loading its data).
The store is written from a thread, never from the training loop, so a
slow store costs the training nothing.
"""
import datetime
import json
import os
import socket
import threading
import time

import torch.distributed as dist

KEY_PREFIX = 'smaug/progress'


def progress_step(iteration, finished):
    """A rank's progress as one number: ``2 * N - 1`` while iteration N
    (1-based) runs, ``2 * N`` once it finished.

    Args:
        iteration (int): The iteration (1-based).
        finished (bool): Whether it finished.
    """
    return 2 * iteration - (0 if finished else 1)


def describe_step(step, validating=False):
    """Where a rank is, in words, from :func:`progress_step`.

    Args:
        step (int): Its progress.
        validating (bool): Whether it validates (after iteration N).
    """
    if step % 2:
        return f'in iteration {(step + 1) // 2}'
    if validating:
        return f'validating after iteration {step // 2}'
    return (f'after iteration {step // 2}, before the next (loading its '
            'data: a stuck file system read? a dead mount?)')


def process_state(pid):
    """The state of a process of this machine, in words.

    Args:
        pid (int): The process.

    Returns:
        str: e.g. ``'stopped (SIGSTOP)'``, or ``'gone'``.
    """
    try:
        with open(f'/proc/{pid}/stat', encoding='ascii') as f:
            state = f.read().rsplit(')', 1)[1].split()[0]
    except (OSError, IndexError):
        return 'gone (killed? out of memory? see dmesg)'
    return {
        'T': 'stopped (SIGSTOP or a debugger)',
        't': 'stopped by a debugger',
        'D': 'blocked in the kernel (disk or network file system I/O)',
        'Z': 'gone (a zombie its parent has not reaped)',
    }.get(state, f'alive but not responding (state {state})')


class ProgressBoard:
    """The records of all ranks in the job's rendezvous store (one store
    connection, used by one thread at a time: its replies would mix).

    Args:
        rank (int): This process's rank.
        world_size (int): The number of ranks.
        timeout (float): Seconds a store operation may take.
    """

    def __init__(self, rank, world_size, timeout):
        self.rank, self.world_size = rank, world_size
        attempt = os.environ.get('TORCHELASTIC_RESTART_COUNT', '0')
        self.prefix = f'{KEY_PREFIX}/{attempt}/'
        self.host, self.pid = socket.gethostname(), os.getpid()
        self._lock = threading.Lock()
        self.store = dist.TCPStore(
            os.environ['MASTER_ADDR'], int(os.environ['MASTER_PORT']),
            is_master=False, wait_for_workers=False,
            timeout=datetime.timedelta(seconds=timeout))

    def publish(self, beat, step, validating):
        """Write this rank's record.

        Args:
            beat (int): How many times it was written.
            step (int): :func:`progress_step` (0 before any iteration).
            validating (bool): Whether it validates.
        """
        record = json.dumps(dict(host=self.host, pid=self.pid, beat=beat,
                                 step=step, validating=validating))
        with self._lock:
            self.store.set(f'{self.prefix}{self.rank}', record)

    def read(self):
        """Every rank's record (None for a rank the store does not have,
        or when the store does not answer).

        Returns:
            list[dict | None]: By rank.
        """
        records = []
        for rank in range(self.world_size):
            key = f'{self.prefix}{rank}'
            try:
                with self._lock:
                    found = self.store.check([key]) and self.store.get(key)
                records.append(json.loads(found) if found else None)
            except (RuntimeError, ValueError):
                records.append(None)
        return records


def find_holdups(board, pause):
    """The ranks that hold the others up, in words, with what to look at.

    Args:
        board (ProgressBoard): The board (this rank's record is excluded).
        pause (float): Seconds between the two readings (a few beats).

    Returns:
        str: e.g. ``'rank 1 on host gpu7 (pid 4242) does not run: its
        process is stopped (SIGSTOP or a debugger); look at it with
        py-spy dump --pid 4242 on gpu7 ...'``.
    """
    before = board.read()
    time.sleep(pause)
    after = board.read()
    others = [rank for rank in range(board.world_size) if rank != board.rank]
    # a rank the second reading missed (the store did not answer in time) is
    # silent too, and described by its first record
    silent = [rank for rank in others if after[rank] is None
              or before[rank] is not None
              and after[rank]['beat'] == before[rank]['beat']]
    if silent:
        return '; '.join(
            _describe_silent(rank, after[rank] or before[rank], board.host)
            for rank in silent)
    front = max(after[rank]['step'] for rank in others)
    behind = [rank for rank in others if after[rank]['step'] < front]
    if behind:
        return '; '.join(
            f'rank {rank} on host {after[rank]["host"]} (pid '
            f'{after[rank]["pid"]}) is stuck '
            f'{describe_step(after[rank]["step"], after[rank]["validating"])}'
            f'; look at it with py-spy '
            f'dump --pid {after[rank]["pid"]} on {after[rank]["host"]}'
            for rank in behind)
    return (f'every rank is {describe_step(front)} and running: one of '
            'them is stuck in it (a checkpoint written to a file system '
            'that hangs?) or a collective operation did not complete (the '
            'network between the machines? a GPU that hangs?); see whose '
            'log stopped first, and py-spy dump each')


def _describe_silent(rank, record, host):
    """A rank whose record did not change, in words.

    Args:
        rank (int): The rank.
        record (dict | None): Its last record.
        host (str): This machine's name.
    """
    if record is None:
        return (f'rank {rank} has no record in the rendezvous store (it '
                'never started training, or the store on MASTER_ADDR does '
                'not answer)')
    where = f'rank {rank} on host {record["host"]} (pid {record["pid"]})'
    state = (process_state(record['pid']) if record['host'] == host else
             f'not responding (is {record["host"]} up?)')
    return (f'{where} does not run: its process is {state}; it was last '
            f'seen {describe_step(record["step"], record["validating"])}; '
            f'look at it on '
            f'{record["host"]} (py-spy dump --pid {record["pid"]}, its log, '
            'dmesg)')
