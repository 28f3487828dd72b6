"""Exact gradient accumulation: a batch's per-pair work in micro-batches.

The per-pair work of a step (the encoders, the multimodal encoder) runs one
micro-batch at a time under activation checkpointing (GradCache, done by
autograd); the losses that need the whole batch (VTC, VTM's negatives, MLM)
are computed on the joined outputs, so the gradient is the whole batch's.
See docs/design.md, "Exact gradient accumulation".
"""
from typing import NamedTuple

import torch
from torch import Tensor
from torch.utils.checkpoint import checkpoint


class WeightedMean(NamedTuple):
    """A mean and the number of items it averages over; micro-batches'
    means are joined weighted by their counts.

    Args:
        mean (Tensor): Scalar mean.
        count (Tensor): Scalar count.
    """
    mean: Tensor
    count: Tensor


class ExactAccumulation:
    """Run per-pair work over a batch in ``micro_batches`` checkpointed
    micro-batches and join the outputs as the whole batch's.

    Args:
        micro_batches (int): Number of micro-batches; 1 calls the work on
            the whole batch, unchanged. Defaults to 1.
    """

    def __init__(self, micro_batches=1):
        if not isinstance(micro_batches, int) or micro_batches < 1:
            raise ValueError(
                'smaug/models/algorithms/exact_accumulation.py: '
                f'micro_batches must be a positive integer, got '
                f'{micro_batches!r}.')
        self.micro_batches = micro_batches

    def slices(self, num):
        """``micro_batches`` consecutive slices of near-equal sizes of
        ``num`` rows (fewer when ``num`` is smaller).
        """
        count = min(self.micro_batches, num)
        bounds = [num * index // count for index in range(count + 1)]
        return [slice(start, end) for start, end in zip(bounds, bounds[1:])]

    def __call__(self, work, *batch):
        """``work(*batch)``, one checkpointed micro-batch at a time.

        The backward pass re-runs each micro-batch with the RNG state of its
        first run (same tube masks, Gumbel noise and, on the CPU, dropout).

        Args:
            work (callable): Per-row work; returns tensors with a row
                dimension, None, :class:`WeightedMean` s, or a dict of them.
            *batch: Tensors with a row dimension, dicts of them, or None.

        Returns:
            The output of ``work`` for the whole batch.
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
    """Join micro-batches' outputs of one kind (see
    :meth:`ExactAccumulation.__call__`).
    """
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
