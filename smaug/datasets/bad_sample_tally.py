"""Counts of the training samples a dataset read and of the bad ones.

The counts live in shared memory, one slot per dataloader worker (slot 0:
the main process), so that every slot has one writer, the counts of all
workers of a process (one rank) are exact, and they survive worker restarts
between epochs. The reasons of the bad samples are counted by kind (the
reason without its details: paths, FFmpeg messages, numbers) in each
process.
"""
import collections
import os
import re

import torch

SLOTS = 257


def worker_slot():
    """This process's counter slot and its name for the log.

    Returns:
        tuple[int, str]: The slot and e.g. ``'worker 3'``.
    """
    info = torch.utils.data.get_worker_info()
    if info is None:
        return 0, f'main process (pid {os.getpid()})'
    return 1 + info.id % (SLOTS - 1), f'worker {info.id}'


def reason_kind(reason):
    """A reason without its details, to count reasons by kind.

    Args:
        reason (str): A :class:`BadMediaError` reason, e.g. ``'cannot
            decode frames [0, 3] (decord: [mpeg4] Error at MB: 3; ...)'``.

    Returns:
        str: e.g. ``'cannot decode frames'``.
    """
    kind, previous = reason, None
    while kind != previous:  # innermost brackets first
        previous = kind
        kind = re.sub(r'\s*(\([^()]*\)|\[[^\[\]]*\])', '', kind)
    return re.sub(r'\d+', 'N', kind).strip()


class BadSampleTally:
    """Samples read and bad samples, per worker, in shared memory."""

    def __init__(self):
        self.read = torch.zeros(SLOTS, dtype=torch.int64).share_memory_()
        self.bad = torch.zeros(SLOTS, dtype=torch.int64).share_memory_()
        self.reasons = collections.Counter()

    def count_read(self):
        """Count one sample read (good or bad) by this process."""
        self.read[worker_slot()[0]] += 1

    def count_bad(self, reason):
        """Count one bad sample of this process.

        Args:
            reason (str): Why it is bad.

        Returns:
            tuple[int, str]: This worker's bad samples so far and its name.
        """
        slot, who = worker_slot()
        self.bad[slot] += 1
        self.reasons[reason_kind(reason)] += 1
        return int(self.bad[slot]), who

    @property
    def total_read(self):
        """int: Samples read by all workers of this process."""
        return int(self.read.sum())

    @property
    def total_bad(self):
        """int: Bad samples of all workers of this process."""
        return int(self.bad.sum())

    def commonest_reasons(self, count=3):
        """The ``count`` commonest kinds of reason of this process.

        Args:
            count (int): How many.

        Returns:
            str: e.g. ``'"file not found" (12), "cannot decode frames"
            (3)'``.
        """
        return ', '.join(f'"{kind}" ({number})' for kind, number in
                         self.reasons.most_common(count))
