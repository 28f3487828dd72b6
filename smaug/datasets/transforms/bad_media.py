"""The error raised by loading transforms for a file that cannot be used."""
import os
import stat


class BadMediaError(Exception):
    """A video or image that is missing, empty, unreadable or too short.

    Loading transforms raise it; the datasets (see
    :class:`~smaug.datasets.BaseVideoTextDataset`) turn it into a logged skip
    in training and a run-stopping error at test time.

    Args:
        path (str): The file.
        reason (str): What is wrong with it, in a few words.
    """

    def __init__(self, path, reason):
        super().__init__(f'{path}: {reason}')
        self.path = path
        self.reason = reason

    def __reduce__(self):
        return type(self), (self.path, self.reason)


def check_regular_file(path):
    """Raise :class:`BadMediaError` unless the local ``path`` is a regular
    file (a named pipe would make its reader wait for a writer, forever).

    Args:
        path (str): The file.
    """
    try:
        mode = os.stat(path).st_mode
    except OSError:
        raise BadMediaError(path, 'file not found') from None
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        raise BadMediaError(path, 'a folder, not a media file')
    kind = ('a named pipe' if stat.S_ISFIFO(mode) else
            'a socket' if stat.S_ISSOCK(mode) else 'a device')
    raise BadMediaError(path, f'{kind}, not a regular file')
