"""Safe writes into a search-index folder: atomic files, one writer at a
time, and a clear error when the folder cannot take them."""
import contextlib
import errno
import fcntl
import os
import os.path as osp
import tempfile

#: errno values that mean "this folder cannot hold the index", with the
#: words used to report them.
UNWRITABLE = {
    errno.EROFS: 'the file system is read-only',
    errno.EACCES: 'permission denied',
    errno.EPERM: 'operation not permitted',
    errno.ENOSPC: 'no space left on the device',
    errno.EDQUOT: 'disk quota exceeded',
}


class IndexWriteError(OSError):
    """The index folder is read-only, full or otherwise not writable."""


@contextlib.contextmanager
def reporting_unwritable(index_dir):
    """Turn an OSError of :data:`UNWRITABLE` kind into an
    :class:`IndexWriteError` naming ``index_dir`` and what to do.
    """
    try:
        yield
    except OSError as error:
        if isinstance(error, IndexWriteError) or \
                error.errno not in UNWRITABLE:
            raise
        raise IndexWriteError(
            error.errno,
            f'cannot write the search index in {index_dir}: '
            f'{UNWRITABLE[error.errno]} ({error.filename or index_dir}). '
            'Choose a writable folder with free space (--index-dir).'
        ) from error


def write_atomically(path, write):
    """Write ``path`` through ``write(file)`` on a temporary file beside it
    and a rename: readers see the old or the complete new file.
    """
    directory, name = osp.split(osp.abspath(path))
    fd, tmp_path = tempfile.mkstemp(dir=directory, prefix=f'.{name}.',
                                    suffix='.tmp')
    try:
        with os.fdopen(fd, 'wb') as file:
            write(file)
            file.flush()
            os.fsync(file.fileno())
        os.replace(tmp_path, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_path)
        raise


@contextlib.contextmanager
def exclusive_lock(index_dir):
    """Hold an exclusive ``flock`` on ``index_dir/.lock``: two processes
    updating one index take turns.
    """
    with reporting_unwritable(index_dir):
        lock_file = open(osp.join(index_dir, '.lock'), 'a')
    with lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)
