"""Why a write failed, in words, for errors that also name the file."""
import errno

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
