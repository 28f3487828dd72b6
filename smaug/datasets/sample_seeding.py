"""Random state derived from keys, so that data and steps are reproducible.

Data augmentation runs in dataloader workers whose random state depends on
what each worker happened to load before, and a resumed run starts fresh
workers; a training step's masks and noise come from the main process's
random state, which a resumed run cannot rebuild from the checkpoint. Both
become exact when the random state is a function of *where* the work is:
``(seed, epoch, dataset, sample index)`` for a sample's augmentation,
``(seed, rank, iteration)`` for a training step
(:class:`~smaug.engine.ExactResumeHook`). Such seeds do not depend on the
number of workers, on which worker loads a sample, on the batch size or on
interruptions.
"""
import random
import zlib
from contextlib import contextmanager

import numpy as np
import torch


def derive_seed(*keys):
    """A 64-bit seed from non-negative integer keys (NumPy's SeedSequence
    hash: nearby keys give unrelated seeds).

    Args:
        *keys (int): The keys, e.g. ``(seed, rank, iteration)``.

    Returns:
        int: The seed, in ``[0, 2**64)``.
    """
    state = np.random.SeedSequence([int(key) for key in keys])
    return int(state.generate_state(1, np.uint64)[0])


def seed_global_rngs(seed, cuda=True):
    """Seed Python's, NumPy's and torch's global random generators.

    Args:
        seed (int): A seed in ``[0, 2**64)``.
        cuda (bool): Seed the CUDA generators too (``torch.manual_seed``);
            False touches torch's CPU generator only. Defaults to True.
    """
    random.seed(seed)
    np.random.seed(seed % 2**32)
    if cuda:
        torch.manual_seed(seed)
    else:
        torch.random.default_generator.manual_seed(seed)


class SampleSeeding:
    """Per-sample random state for a dataset's pipeline.

    Disabled until :meth:`enable` gives it a seed. Then, inside
    :meth:`seeded`, Python's, NumPy's and torch's (CPU) generators are seeded
    from ``(seed, epoch, salt, index)`` and restored afterwards, so a
    sample's augmentation is the same whichever process loads it, and the
    caller's random state is left as it was (this matters when the main
    process loads the data, ``num_workers=0``).

    The seed and the epoch live in a shared-memory tensor: set in the main
    process, they reach dataloader workers that were started earlier
    (``persistent_workers=True``).

    Args:
        salt (str): Tells datasets apart (e.g. the annotation file), so that
            sample ``i`` of two corpora gets different random numbers.
    """

    def __init__(self, salt=''):
        self._state = torch.tensor([-1, 0], dtype=torch.int64).share_memory_()
        self._salt = zlib.crc32(str(salt).encode())

    @property
    def enabled(self):
        """bool: Whether samples are seeded."""
        return int(self._state[0]) >= 0

    def enable(self, seed):
        """Seed samples from now on.

        Args:
            seed (int): The run's seed (non-negative).
        """
        if seed is None or seed < 0:
            raise ValueError(f'SampleSeeding needs a seed >= 0, got {seed}')
        self._state[0] = seed

    def set_epoch(self, epoch):
        """Make the next samples those of ``epoch``.

        Args:
            epoch (int): The training epoch (>= 0).
        """
        self._state[1] = epoch

    @contextmanager
    def seeded(self, index):
        """Run the body with the random state of sample ``index``.

        Args:
            index (int): The sample's index in the dataset.
        """
        seed, epoch = self._state.tolist()
        if seed < 0:
            yield
            return
        saved = (random.getstate(), np.random.get_state(),
                 torch.random.get_rng_state())
        seed_global_rngs(derive_seed(seed, epoch, self._salt, index),
                         cuda=False)
        try:
            yield
        finally:
            random.setstate(saved[0])
            np.random.set_state(saved[1])
            torch.random.set_rng_state(saved[2])
