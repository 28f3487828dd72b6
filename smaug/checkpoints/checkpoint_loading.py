"""Weights-only loading of checkpoints: the one way smaug reads them.

``torch.load`` with ``weights_only=False`` runs whatever code a pickle names,
and checkpoints named by ``load_from`` or ``init_cfg`` often come from
strangers. :func:`load_checkpoint_file` reads a checkpoint weights-only; the
few non-tensor objects that mmengine itself writes into a checkpoint (the
message hub's ``HistoryBuffer`` and numpy arrays and scalars) are
allow-listed, so ``--resume`` works on checkpoints smaug wrote. Loading
anything else needs an explicit ``trust=True`` (``--trust-checkpoint`` in the
tools, ``trust_checkpoint=True`` in a config).

mmengine reads ``init_cfg=dict(type='Pretrained')`` weights through its own
``CheckpointLoader``; :func:`use_weights_only_loader` points that loader's
local files at :func:`load_local_checkpoint` too. Importing smaug does not
call it: every entry point that loads weights does, with the trust it was
given (:class:`~smaug.engine.SMAUGRunner`, :func:`smaug.apis.init_model`,
the model converters).
"""
import os.path as osp
import pickle

import numpy as np
import torch
from mmengine.logging import HistoryBuffer
from mmengine.runner.checkpoint import CheckpointLoader

from .checkpoint_diagnosis import why_unreadable


def history_buffer_method(owner, name):
    """Stand-in for ``getattr`` while unpickling a checkpoint.

    mmengine pickles a HistoryBuffer's statistics methods as
    ``getattr(HistoryBuffer, 'mean')``. Allow-listing the real ``getattr``
    would let a crafted file reach any attribute; this stand-in resolves only
    those methods.

    Args:
        owner (type): The object the pickle asks an attribute of.
        name (str): The attribute name.
    """
    if owner is not HistoryBuffer or name not in ('min', 'max', 'current',
                                                  'mean'):
        raise pickle.UnpicklingError(
            f'getattr({owner!r}, {name!r}) is not allowed')
    return getattr(owner, name)


MMENGINE_CHECKPOINT_GLOBALS = [
    HistoryBuffer,
    (history_buffer_method, 'builtins.getattr'),
    np.ndarray,
    np.dtype,
    np._core.multiarray._reconstruct,
    np._core.multiarray.scalar,
    *{type(np.dtype(name)) for name in ('float64', 'float32', 'int64',
                                        'int32', 'bool')},
]


class UntrustedCheckpointError(RuntimeError):
    """Raised when a checkpoint needs arbitrary unpickling to load."""


class UnreadableCheckpointError(RuntimeError):
    """Raised when a file is not a checkpoint, or a damaged one."""


def load_local_checkpoint(filename, map_location=None, trust=False):
    """Load a local checkpoint weights-only, unless ``trust``.

    A file that fails to load is diagnosed
    (:func:`~smaug.checkpoints.checkpoint_diagnosis.why_unreadable`):
    one that is not a checkpoint, or a damaged one, raises
    :class:`UnreadableCheckpointError`; only a sound checkpoint holding
    objects beyond the allowed types raises
    :class:`UntrustedCheckpointError`.

    Args:
        filename (str): Path of the checkpoint file.
        map_location (str | callable, optional): As for :func:`torch.load`.
        trust (bool): Allow any pickled object (only for files from a source
            the user trusts). Defaults to False.
    """
    if not osp.isfile(filename):
        raise FileNotFoundError(f'Checkpoint {filename} does not exist.')
    try:
        if trust:
            return torch.load(filename, map_location=map_location,
                              weights_only=False)
        with torch.serialization.safe_globals(MMENGINE_CHECKPOINT_GLOBALS):
            return torch.load(filename, map_location=map_location,
                              weights_only=True)
    except Exception as error:
        problem = why_unreadable(filename)
        if problem is not None:
            raise UnreadableCheckpointError(
                f'Cannot load {filename} as a checkpoint: {problem}.'
            ) from error
        if trust or not isinstance(error, pickle.UnpicklingError):
            raise
        reason = str(error).strip().splitlines()[0]
        raise UntrustedCheckpointError(
            f'Refused to load {filename}: it contains pickled objects beyond '
            f'tensors and the types mmengine writes ({reason}). Loading it '
            'could run arbitrary code. If you trust its source, pass '
            '--trust-checkpoint (trust_checkpoint=True in a config).'
        ) from error


def load_checkpoint_file(filename, map_location='cpu', trust=False):
    """Load a checkpoint: a local file with :func:`load_local_checkpoint`,
    a URI (``https://``, ``s3://``, ...) with mmengine's loader of its
    scheme.

    Args:
        filename (str): Path or URI of the checkpoint.
        map_location (str | callable): As for :func:`torch.load`.
            Defaults to 'cpu'.
        trust (bool | None): See :func:`load_local_checkpoint`; None reads
            with the trust the entry point gave :func:`use_weights_only_loader`
            (model weights read while a model initialises). Defaults to
            False.

    Returns:
        dict: The checkpoint.
    """
    if '://' in filename or trust is None:
        return CheckpointLoader.load_checkpoint(filename, map_location)
    return load_local_checkpoint(filename, map_location, trust)


def use_weights_only_loader(trust=False):
    """Make mmengine's ``CheckpointLoader`` read local files with
    :func:`load_local_checkpoint`, for the loads smaug does not make itself
    (``init_cfg=dict(type='Pretrained')``, mmpretrain's weight loading).

    The setting is process-wide, as mmengine's loader registry is; the last
    call decides the trust.

    Args:
        trust (bool): See :func:`load_local_checkpoint`. Defaults to False.
    """
    # mmengine logs the loader's name from its 11th character on: 'Loads
    # checkpoint by local_weights_only backend'.
    def load_from_local_weights_only(filename, map_location=None):
        return load_local_checkpoint(filename, map_location, trust)

    CheckpointLoader.register_scheme(
        prefixes='', loader=load_from_local_weights_only, force=True)
