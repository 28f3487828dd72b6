"""Optimizer wrappers that skip the update of a step whose loss is NaN/inf.

One NaN step poisons the weights and every step after it; a long run
should instead drop such a step, say so, and stop only if it keeps
happening. :class:`NonFiniteGuardMixin` does this in ``update_params``:

- one check per step, ``torch.isfinite(loss)``, all-reduced over the
  ranks, so that all ranks skip together (a rank that skipped DDP's
  gradient all-reduce while the others ran it would hang them);
- a skipped step runs no backward pass and changes neither the parameters
  nor the optimizer state (nor the AMP loss scale); the iteration still
  counts (the learning-rate schedule and the data move on);
- with gradient accumulation (``accumulative_counts=N``), the update of
  the N iterations that hold a non-finite loss is skipped as a whole: the
  gradients gathered in them are dropped at the last of them, which makes
  no optimizer step. Updates happen at the iterations they happen at
  without the fault (N, 2N, ...), never at a part of a window (half a
  batch would be an update of another batch size);
- the running count is the message hub scalar ``train/nonfinite_steps``,
  so it is logged and appears in TensorBoard;
- after ``max_consecutive_nonfinite`` skipped steps in a row the run stops
  with :class:`NonFiniteLossError`.

The messages come from :class:`~smaug.engine.NonFiniteLossHook` when it is
registered (smaug's default runtime does): it sees the step's loss terms and
names the non-finite ones. Without it, the wrapper itself reports (without
the terms).

Gradient overflow under fp16 AMP is a different fault, with a finite loss:
mmengine's ``AmpOptimWrapper`` (its GradScaler) skips such steps and lowers
the loss scale, as usual.
"""
import logging

import torch
from mmengine.dist import all_reduce, get_dist_info
from mmengine.logging import MessageHub, print_log
from mmengine.optim import AmpOptimWrapper, OptimWrapper

from smaug.registry import OPTIM_WRAPPERS


class NonFiniteLossError(RuntimeError):
    """Too many training steps in a row had a non-finite loss."""


def nonfinite_ranks(loss):
    """The ranks whose ``loss`` is NaN or infinite (the same list on all).

    Args:
        loss (Tensor): This rank's scalar loss.

    Returns:
        list[int]: Ranks with a non-finite loss; empty when all are finite.
    """
    rank, world_size = get_dist_info()
    flags = torch.zeros(world_size, device=loss.device)
    flags[rank] = (~torch.isfinite(loss.detach())).float()
    if world_size > 1:
        all_reduce(flags, op='sum')
    return flags.nonzero().flatten().tolist()


class NonFiniteGuardMixin:
    """Skip updates whose loss is not finite (see the module docstring).

    Args:
        *args: The wrapped class's arguments.
        max_consecutive_nonfinite (int): Stop the run after this many
            skipped steps in a row. Defaults to 10.
        **kwargs: The wrapped class's arguments.
    """

    def __init__(self, *args, max_consecutive_nonfinite=10, **kwargs):
        super().__init__(*args, **kwargs)
        if int(max_consecutive_nonfinite) < 1:
            raise ValueError('max_consecutive_nonfinite must be >= 1, got '
                             f'{max_consecutive_nonfinite}')
        self.max_consecutive_nonfinite = int(max_consecutive_nonfinite)
        self.nonfinite_total = 0
        self.nonfinite_in_a_row = 0
        self.last_nonfinite_ranks = []  # of the last step; [] if finite
        self.reported_by_hook = False  # NonFiniteLossHook sets it
        # the current accumulation window held a non-finite loss
        self._window_dropped = False

    @property
    def limit_reached(self):
        """bool: Whether the run must stop."""
        return self.nonfinite_in_a_row >= self.max_consecutive_nonfinite

    def describe_skip(self, terms=''):
        """The message about the last skipped step.

        Args:
            terms (str): The non-finite loss terms, if known.
        """
        message = (f'Non-finite loss on rank(s) '
                   f'{self.last_nonfinite_ranks}{terms}: the update is '
                   f'skipped ({self.nonfinite_in_a_row} in a row, '
                   f'{self.nonfinite_total} in total; the run stops after '
                   f'{self.max_consecutive_nonfinite} in a row).')
        if self.limit_reached:
            message += (' Stopping: lower the learning rate, check the '
                        'data, or resume from an earlier checkpoint.')
        return message

    def update_params(self, loss, step_kwargs=None, zero_kwargs=None):
        """Backward and step, unless a rank's loss is not finite; with
        gradient accumulation, no step for a window that held one (see the
        module docstring).

        Args:
            loss (Tensor): The scalar loss.
            step_kwargs (dict, optional): For ``optimizer.step``.
            zero_kwargs (dict, optional): For ``optimizer.zero_grad``.
        """
        self.last_nonfinite_ranks = nonfinite_ranks(loss)
        if self.last_nonfinite_ranks:
            self.nonfinite_in_a_row += 1
            self.nonfinite_total += 1
            self._window_dropped = True
            self._inner_count += 1  # keeps gradient accumulation in step
        else:
            self.nonfinite_in_a_row = 0
            if self._window_dropped:  # gradients to drop, but DDP syncs
                self.backward(self.scale_loss(loss))
            else:
                super().update_params(loss, step_kwargs, zero_kwargs)
        if self._window_dropped and self.should_update():
            self.zero_grad(**(zero_kwargs or {}))
            self._window_dropped = False
        MessageHub.get_current_instance().update_scalar(
            'train/nonfinite_steps', self.nonfinite_total)
        if self.last_nonfinite_ranks and not self.reported_by_hook:
            message = self.describe_skip()
            if self.limit_reached:
                raise NonFiniteLossError(message)
            print_log(message, logger='current', level=logging.WARNING)

    def state_dict(self):
        """The wrapped state plus the non-finite step counts."""
        state = super().state_dict()
        state['nonfinite_steps'] = dict(total=self.nonfinite_total,
                                        in_a_row=self.nonfinite_in_a_row)
        return state

    def load_state_dict(self, state_dict):
        """Load the wrapped state and the non-finite step counts.

        Args:
            state_dict (dict): From :meth:`state_dict` (the counts may be
                absent, e.g. in a checkpoint of an unguarded wrapper).
        """
        state_dict = dict(state_dict)
        counts = state_dict.pop('nonfinite_steps', dict(total=0, in_a_row=0))
        self.nonfinite_total = counts['total']
        self.nonfinite_in_a_row = counts['in_a_row']
        super().load_state_dict(state_dict)


@OPTIM_WRAPPERS.register_module()
class GuardedOptimWrapper(NonFiniteGuardMixin, OptimWrapper):
    """mmengine's OptimWrapper that skips non-finite steps
    (:class:`NonFiniteGuardMixin`)."""


@OPTIM_WRAPPERS.register_module()
class GuardedAmpOptimWrapper(NonFiniteGuardMixin, AmpOptimWrapper):
    """mmengine's AmpOptimWrapper (GPU) that skips non-finite steps
    (:class:`NonFiniteGuardMixin`); gradient overflows are left to its
    GradScaler."""
