"""Weights-only loading of local checkpoints.

``torch.load`` with ``weights_only=False`` runs whatever code a pickle names,
and checkpoints named by ``load_from`` or ``init_cfg`` often come from
strangers. This module replaces mmengine's loader of local files so that every
load is weights-only. The few non-tensor objects that mmengine itself writes
into a checkpoint (the message hub's ``HistoryBuffer`` and numpy arrays and
scalars) are allow-listed, so ``--resume`` works on checkpoints smaug wrote.
Loading anything else needs an explicit opt-in: ``--trust-checkpoint`` in the
tools, or the environment variable ``SMAUG_TRUST_CHECKPOINTS=1``.
"""
import os
import os.path as osp
import pickle

import numpy as np
import torch
from mmengine.logging import HistoryBuffer
from mmengine.runner.checkpoint import CheckpointLoader

from .checkpoint_diagnosis import why_unreadable

TRUST_ENV_VAR = 'SMAUG_TRUST_CHECKPOINTS'


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


def checkpoints_trusted():
    """Whether the user opted in to unrestricted unpickling."""
    return os.environ.get(TRUST_ENV_VAR, '0') == '1'


@CheckpointLoader.register_scheme(prefixes='', force=True)
def load_local_checkpoint(filename, map_location=None):
    """Load a local checkpoint weights-only, unless trust was given.

    A file that fails to load is diagnosed
    (:func:`~smaug.engine.checkpoint_diagnosis.why_unreadable`): one that
    is not a checkpoint, or a damaged one, raises
    :class:`UnreadableCheckpointError`; only a sound checkpoint holding
    objects beyond the allowed types raises
    :class:`UntrustedCheckpointError`.

    Args:
        filename (str): Path of the checkpoint file.
        map_location (str | callable, optional): As for :func:`torch.load`.
    """
    if not osp.isfile(filename):
        raise FileNotFoundError(f'Checkpoint {filename} does not exist.')
    trusted = checkpoints_trusted()
    try:
        if trusted:
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
        if trusted or not isinstance(error, pickle.UnpicklingError):
            raise
        reason = str(error).strip().splitlines()[0]
        raise UntrustedCheckpointError(
            f'Refused to load {filename}: it contains pickled objects beyond '
            f'tensors and the types mmengine writes ({reason}). Loading it '
            'could run arbitrary code. If you trust its source, pass '
            f'--trust-checkpoint or set {TRUST_ENV_VAR}=1.') from error
