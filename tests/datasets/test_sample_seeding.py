"""Per-sample random state: the same sample draws the same numbers in any
process, the caller's random state is untouched, epochs differ, and the
epoch set in the main process reaches persistent dataloader workers."""
import random

import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset

from smaug.datasets.sample_seeding import (SampleSeeding, derive_seed,
                                           seed_global_rngs)


class RandomDraws(Dataset):
    """Each item: one draw of Python's, NumPy's and torch's generators."""

    def __init__(self, size=6):
        self.size = size
        self.sample_seeding = SampleSeeding(salt='draws')

    def __len__(self):
        return self.size

    def __getitem__(self, index):
        with self.sample_seeding.seeded(index):
            return (random.random(), float(np.random.rand()),
                    float(torch.rand(())))


def test_derive_seed_is_stable_and_spreads():
    assert derive_seed(1, 2, 3) == derive_seed(1, 2, 3)
    seeds = {derive_seed(1, rank, step) for rank in range(4)
             for step in range(50)}
    assert len(seeds) == 200
    seed_global_rngs(derive_seed(7, 0, 0))
    first = torch.rand(3)
    seed_global_rngs(derive_seed(7, 0, 0))
    assert torch.equal(torch.rand(3), first)


def test_seeded_samples_repeat_and_leave_the_caller_alone():
    dataset = RandomDraws()
    assert dataset[0] != dataset[0]  # disabled: global random state
    dataset.sample_seeding.enable(42)
    torch.manual_seed(0)
    before = torch.rand(2)
    torch.manual_seed(0)
    draws = [dataset[i] for i in range(3)]
    assert torch.equal(torch.rand(2), before)  # caller's state restored
    assert [dataset[i] for i in range(3)] == draws
    assert len(set(draws)) == 3
    dataset.sample_seeding.set_epoch(1)
    assert all(dataset[i] != draws[i] for i in range(3))


def test_persistent_workers_follow_the_epoch():
    dataset = RandomDraws()
    dataset.sample_seeding.enable(5)
    loader = DataLoader(dataset, batch_size=2, num_workers=2,
                        persistent_workers=True, collate_fn=list)
    in_workers = []
    for epoch in range(2):
        dataset.sample_seeding.set_epoch(epoch)
        in_workers.append([item for batch in loader for item in batch])
    assert in_workers[0] != in_workers[1]
    dataset.sample_seeding.set_epoch(1)
    assert in_workers[1] == [dataset[i] for i in range(len(dataset))]
