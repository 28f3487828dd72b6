"""Failed writes reported with the file and the reason in words."""
import contextlib
import errno
import os
import os.path as osp

REASONS = {
    errno.ENOSPC: 'the disk is full',
    errno.EDQUOT: 'the disk quota is exceeded',
    errno.EACCES: 'permission denied',
    errno.EROFS: 'the file system is read-only',
}


def write_failure_reason(error):
    """The reason of a failed write, e.g. ``'the disk is full'``.

    Args:
        error (OSError): The error of the write.
    """
    return REASONS.get(error.errno, f'{type(error).__name__}: {error}')


@contextlib.contextmanager
def reported_write_failure(what, consequence='', partial=None):
    """Turn an ``OSError`` in the block (a bare ``[Errno 28]`` on a full
    disk) into a ``RuntimeError``: ``Could not write <what> (<reason>).
    <consequence>``, after removing ``partial``.

    Args:
        what (str): What was written, e.g. its path.
        consequence (str): What the failure left, for the user.
        partial (str, optional): A temporary file to remove.
    """
    try:
        yield
    except OSError as error:
        if partial is not None and osp.lexists(partial):
            os.remove(partial)
        raise RuntimeError(
            f'Could not write {what} ({write_failure_reason(error)}). '
            f'{consequence}'.rstrip()) from error
