"""The error raised by loading transforms for a file that cannot be used."""


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
