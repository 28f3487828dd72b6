"""One training at a time in a work_dir.

Two trainings writing to one work_dir overwrite each other's checkpoints and
``last_checkpoint``, and ``--resume`` in one continues the other. A training
therefore holds an exclusive lock on ``<work_dir>/train.lock`` while it runs.

The lock is a POSIX record lock (``fcntl``), held by the kernel for the
process: it is released when the process ends, however it ends (SIGKILL and
OOM kills included), so a dead run never blocks its work_dir and there is no
stale lock file to delete by hand. The file itself stays, holding the last
holder's pid, host and start time for the message of a refused run. On NFS
the lock goes through the server's lock manager (NLM for NFSv3, part of the
protocol in NFSv4), so it excludes runs on other hosts too; a lock held by a
host that crashed is freed when the server's lease or grace period ends
(about 90 s by default). On a file system that does not support locks
(e.g. NFS mounted with ``nolock``, Lustre without ``flock``), the training
goes on with a warning.

``tools/train.py`` claims the lock (:func:`claim_work_dir`) before it builds
the runner, so that a refused training creates nothing in the work_dir (no
timestamp folder, no line in the other run's log); the runner's ``train``
then holds that lock (:func:`held_lock`), or takes one itself when it was
built otherwise.
"""
import datetime
import errno
import fcntl
import json
import os
import os.path as osp
import socket
import sys
import tempfile

LOCK_FILE = 'train.lock'
# errno values of a file system that cannot lock (not: "someone holds it")
UNSUPPORTED = (errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS, errno.EINVAL)


# The locks claim_work_dir took, by the work_dir's absolute path.
_CLAIMED = {}


class WorkDirInUseError(RuntimeError):
    """Raised when another training holds the work_dir."""


def check_writable_dir(path):
    """Create ``path`` if needed and check that files can be written in it.

    Args:
        path (str): The folder (e.g. the work_dir).
    """
    try:
        os.makedirs(path, exist_ok=True)
        with tempfile.TemporaryFile(dir=path):
            pass
    except OSError as err:
        raise PermissionError(
            f'work_dir {path} is not writable ({err.strerror}); logs and '
            'checkpoints are written there. Choose another with --work-dir '
            'or fix its permissions.') from err


def launcher_rank(environ):
    """This process's rank as its launcher set it, before any process
    group exists (torchrun: ``RANK``; Slurm: ``SLURM_PROCID``; Open MPI:
    ``OMPI_COMM_WORLD_RANK``; 0 for a single process).

    Args:
        environ (Mapping[str, str]): The environment.
    """
    for variable in ('RANK', 'SLURM_PROCID', 'OMPI_COMM_WORLD_RANK'):
        if environ.get(variable):
            return int(environ[variable])
    return 0


def claim_work_dir(work_dir, environ):
    """Take a training's lock on its work_dir before anything else is
    created there, in the process of rank 0 (the other ranks learn of a
    refusal when rank 0 ends: their launcher stops them).

    Args:
        work_dir (str): The work_dir (created if needed).
        environ (Mapping[str, str]): The environment (for the rank).

    Raises:
        WorkDirInUseError: Another training holds it.
    """
    if launcher_rank(environ) != 0:
        return
    work_dir = osp.abspath(work_dir)
    check_writable_dir(work_dir)
    lock = WorkDirLock(work_dir)
    refusal = lock.acquire()
    if refusal is not None:
        raise WorkDirInUseError(refusal)
    _CLAIMED[work_dir] = lock


def held_lock(work_dir):
    """The lock :func:`claim_work_dir` took on ``work_dir`` in this process,
    if any (it is handed over: a second call gives None).

    Args:
        work_dir (str): The work_dir.
    """
    return _CLAIMED.pop(osp.abspath(work_dir), None)


class WorkDirLock:
    """The exclusive lock of a training on its work_dir.

    Args:
        work_dir (str): The work_dir (it exists).
    """

    def __init__(self, work_dir):
        self.work_dir = work_dir
        self.path = osp.join(work_dir, LOCK_FILE)
        self._fd = None

    def acquire(self):
        """Take the lock and write this process's details into the file.

        Returns:
            str | None: Why the work_dir cannot be used (another training
            holds it), or None when the lock is taken.
        """
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as error:
            holder = read_holder(fd)
            os.close(fd)
            if error.errno in UNSUPPORTED:
                return None
            return refusal_message(self.work_dir, self.path, holder)
        self._fd = fd
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(describe_this_process()).encode(), 0)
        return None

    def release(self):
        """Release the lock (the file stays, see the module docstring)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    @property
    def held(self):
        """Whether this process holds the lock (False on a file system
        without locks)."""
        return self._fd is not None


def describe_this_process():
    """The pid, host, start time and command line of this process."""
    return dict(pid=os.getpid(), host=socket.gethostname(),
                started=datetime.datetime.now().isoformat(
                    sep=' ', timespec='seconds'),
                command=' '.join(sys.argv))


def read_holder(fd):
    """The details the lock's holder wrote, or None if unreadable.

    Args:
        fd (int): An open descriptor of the lock file.
    """
    try:
        return json.loads(os.pread(fd, 65536, 0).decode())
    except (OSError, ValueError):
        return None


def refusal_message(work_dir, path, holder):
    """The error of a training refused because ``holder`` has the lock.

    Args:
        work_dir (str): The work_dir.
        path (str): The lock file.
        holder (dict | None): What the holder wrote in the lock file.
    """
    who = ('another process (it has not written its details yet)'
           if holder is None else
           f'pid {holder["pid"]} on host {holder["host"]}, started '
           f'{holder["started"]} ({holder["command"]})')
    return (
        f'work_dir {work_dir} is in use by another training: {who}. Two '
        'trainings in one work_dir overwrite each other\'s checkpoints and '
        'last_checkpoint, and --resume would continue the other run. Wait '
        'for it to finish or stop it, or train in another folder with '
        f'--work-dir. The lock ({path}) is released by itself when that '
        'process ends, even if it is killed: there is nothing to delete.')
