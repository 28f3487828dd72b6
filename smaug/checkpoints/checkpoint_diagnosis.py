"""Why a file that failed to load as a checkpoint is not one.

``torch.load`` reports any file it cannot read in its own terms: an empty
file is an ``EOFError``, a text file a ``KeyError``, a video an
``UnpicklingError`` that the weights-only loader would blame on untrusted
pickled objects. :func:`why_unreadable` looks at the file's structure
without running any of it: empty, not PyTorch's format, a truncated zip
archive, a zip archive that is not a checkpoint, a member that fails its
checksum, or malformed pickle data. Only a file that passes all of these can
be refused for its content
(:mod:`smaug.checkpoints.checkpoint_loading`).
"""
import pickle
import pickletools
import zipfile

import torch

ZIP_MAGIC = b'PK\x03\x04'
# torch.save before PyTorch 1.6 (``_use_new_zipfile_serialization=False``)
LEGACY_MAGIC = pickle.dumps(torch.serialization.MAGIC_NUMBER, protocol=2)
# pickles at the start of a legacy file: magic number, protocol version,
# system info, the object, its storage keys
LEGACY_PICKLES = 5


def pickle_error(stream):
    """Why the pickle at the start of ``stream`` is malformed, or None.
    Reads its opcodes, runs nothing.

    Args:
        stream (bytes | file): The pickle data.
    """
    try:
        for _ in pickletools.genops(stream):
            pass
    except ValueError as error:
        return str(error)
    return None


def zip_checkpoint_problem(path):
    """What is wrong with the zip archive ``path`` as a checkpoint, or None.

    Args:
        path (str): A file starting with a zip header.
    """
    if not zipfile.is_zipfile(path):
        return ('it is truncated: a zip archive (PyTorch\'s format) without '
                'its end, as an interrupted save, copy or download leaves')
    with zipfile.ZipFile(path) as archive:
        pickles = [name for name in archive.namelist()
                   if name.endswith('/data.pkl')]
        if not pickles:
            return ('it is a zip archive but not a PyTorch checkpoint (no '
                    'data.pkl in it)')
        damaged = archive.testzip()
        if damaged is not None:
            return f'it is damaged: {damaged} in it fails its checksum'
        error = pickle_error(archive.read(pickles[0]))
    return None if error is None else (
        f'it is damaged: its pickled data is malformed ({error})')


def legacy_checkpoint_problem(path):
    """What is wrong with the legacy checkpoint ``path``, or None.

    Args:
        path (str): A file starting with torch's legacy magic number.
    """
    with open(path, 'rb') as stream:
        for _ in range(LEGACY_PICKLES):
            error = pickle_error(stream)
            if error is not None:
                return ('it is damaged or truncated: its pickled data is '
                        f'malformed ({error})')
    return None


def why_unreadable(path):
    """Why ``path`` cannot be a checkpoint, or None when its structure is
    sound (then a failed load is about what it holds).

    Args:
        path (str): An existing file.
    """
    with open(path, 'rb') as stream:
        head = stream.read(len(LEGACY_MAGIC))
    if not head:
        return 'it is empty (0 bytes)'
    if head.startswith(ZIP_MAGIC):
        return zip_checkpoint_problem(path)
    if head == LEGACY_MAGIC:
        return legacy_checkpoint_problem(path)
    return ('it is not a PyTorch checkpoint (torch.save writes a zip '
            f'archive; this file starts with {head[:8]!r})')
