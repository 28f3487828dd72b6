"""Exact gradient accumulation: a batch's per-pair work in checkpointed
micro-batches, joined so that every loss is the whole batch's (see
docs/design.md, "Exact gradient accumulation").
"""
from typing import NamedTuple

import torch
from torch import Tensor
from torch.utils.checkpoint import checkpoint


class WeightedMean(NamedTuple):
    """A scalar ``mean`` over ``count`` items; micro-batches' means join
    weighted by their counts.
    """
    mean: Tensor
    count: Tensor


class ExactAccumulation:
    """Run per-pair work over a batch in ``micro_batches`` checkpointed
    micro-batches (1: on the whole batch, unchanged) and join the outputs.
    """

    def __init__(self, micro_batches=1):
        if not isinstance(micro_batches, int) or micro_batches < 1:
            raise ValueError(
                'smaug/models/algorithms/exact_accumulation.py: '
                f'micro_batches must be a positive integer, got '
                f'{micro_batches!r}.')
        self.micro_batches = micro_batches

    def slices(self, num):
        """Near-equal consecutive slices of ``num`` rows, at most
        ``micro_batches``.
        """
        count = min(self.micro_batches, num)
        bounds = [num * index // count for index in range(count + 1)]
        return [slice(start, end) for start, end in zip(bounds, bounds[1:])]

    def __call__(self, work, *batch):
        """``work(*batch)``, one checkpointed micro-batch at a time (the
        backward pass re-runs each with its first run's RNG state).

        Args:
            work (callable): Per-row work returning row tensors, None,
                :class:`WeightedMean` s, or a dict of them.
            *batch: Row tensors, dicts of them, or None.
        """
        if self.micro_batches == 1:
            return work(*batch)
        parts = [
            checkpoint(work, *(_rows(value, rows) for value in batch),
                       use_reentrant=False)
            for rows in self.slices(len(batch[0]))
        ]
        return _join(parts)


def _rows(value, rows):
    """The rows of a tensor, of each tensor of a dict, or None."""
    if isinstance(value, dict):
        return {key: item[rows] for key, item in value.items()}
    return None if value is None else value[rows]


def _join(parts):
    """Micro-batches' outputs of one kind joined as the whole batch's."""
    first = parts[0]
    if isinstance(first, dict):
        return {key: _join([part[key] for part in parts]) for key in first}
    if first is None:
        return None
    if isinstance(first, WeightedMean):
        means, counts = (torch.stack(values) for values in zip(*parts))
        total = counts.sum()
        return WeightedMean((means * counts).sum() / total.clamp(min=1),
                            total)
    return torch.cat(parts)
