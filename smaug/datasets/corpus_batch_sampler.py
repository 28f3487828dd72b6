"""Batches drawn from one corpus at a time, for mixed pre-training corpora."""
import math

import numpy as np
from mmengine.dist import get_dist_info, sync_random_seed
from torch.utils.data import BatchSampler, ConcatDataset

from smaug.registry import DATA_SAMPLERS


@DATA_SAMPLERS.register_module()
class CorpusBatchSampler(BatchSampler):
    """Yield batches that each come from a single sub-dataset of a
    ``ConcatDataset``, interleaving the corpora in random order.

    Why not plain concatenation: in the multi-frame setting a WebVid clip has
    K=4 frames while a CC3M image is a K=1 clip, and tensors of different K
    cannot be stacked into one batch; padding images to K frames would spend
    4x the compute on them. So, as Singularity (whose setup SMAUG follows)
    does with one loader per corpus, every batch holds one corpus, and one
    epoch visits every sample of every corpus once: corpora are mixed in
    proportion to their sizes. The same rule serves the single-frame
    setting, where it also keeps the in-batch contrastive negatives of one
    domain, as in Singularity.

    Distributed: at every step all ranks draw from the same corpus (the
    corpus order comes from a seed shared by the ranks), so every rank runs
    the same K and the same modules (an image step leaves the temporal
    encoder idle on every rank) and the all-gathered contrastive batch is of
    one corpus. Each corpus is sharded over ranks on its own; each rank gets
    ``len(corpus) // world_size`` of its samples per epoch.

    Use it as the dataloader's ``batch_sampler``; mmengine passes the
    ``sampler`` (e.g. ``DefaultSampler``), whose ``seed``, ``shuffle`` and
    ``epoch`` (set by the train loop through ``set_epoch``) this sampler
    follows; the indices the wrapped sampler would yield are not used.

    Args:
        sampler (Sampler): The wrapped sampler; its ``dataset`` is a
            ``ConcatDataset`` (any other dataset is one corpus).
        batch_size (int): Samples per batch, per rank.
        drop_last (bool): Drop each corpus's last incomplete batch. Defaults
            to True.
    """

    def __init__(self, sampler, batch_size, drop_last=True):
        if batch_size < 1:
            raise ValueError(f'batch_size must be >= 1, got {batch_size}')
        self.sampler = sampler
        self.batch_size = batch_size
        self.drop_last = drop_last
        dataset = sampler.dataset
        parts = dataset.datasets if isinstance(dataset,
                                               ConcatDataset) else [dataset]
        self.sizes = [len(part) for part in parts]
        self.offsets = np.cumsum([0] + self.sizes[:-1]).tolist()
        self.rank, self.world_size = get_dist_info()
        seed = getattr(sampler, 'seed', None)
        self.seed = sync_random_seed() if seed is None else seed
        self.shuffle = getattr(sampler, 'shuffle', True)
        rounding = math.floor if drop_last else math.ceil
        self.num_batches = [
            rounding(size // self.world_size / batch_size)
            for size in self.sizes
        ]
        self._passes = 0
        self._skip = 0

    def _corpus_batches(self, rng, corpus):
        """This rank's batches of one corpus, as lists of global indices."""
        size = self.sizes[corpus]
        order = rng.permutation(size) if self.shuffle else np.arange(size)
        mine = order[self.rank::self.world_size][:size // self.world_size]
        mine = (mine + self.offsets[corpus]).tolist()
        return [
            mine[start:start + self.batch_size]
            for start in range(0, len(mine), self.batch_size)
        ][:self.num_batches[corpus]]

    def __iter__(self):
        epoch = getattr(self.sampler, 'epoch', self._passes)
        self._passes += 1
        rng = np.random.default_rng(self.seed + epoch)
        batches = [
            iter(self._corpus_batches(rng, corpus))
            for corpus in range(len(self.sizes))
        ]
        order = np.repeat(np.arange(len(self.sizes)), self.num_batches)
        if self.shuffle:
            order = rng.permutation(order)
        skip, self._skip = self._skip, 0
        for position, corpus in enumerate(order):
            batch = next(batches[corpus])
            if position >= skip:
                yield batch

    def skip_batches(self, num_batches):
        """Leave out the first ``num_batches`` batches of the next pass
        (the one after it is whole again); ``len`` does not change.

        Args:
            num_batches (int): Batches to leave out, ``0 <= n <= len(self)``.
        """
        if not 0 <= num_batches <= len(self):
            raise ValueError(f'CorpusBatchSampler: cannot skip {num_batches} '
                             f'of {len(self)} batches')
        self._skip = num_batches

    def __len__(self):
        return sum(self.num_batches)
