"""Name the loss terms of a skipped non-finite step, and stop when told."""
import math

from mmengine.dist import all_gather_object, get_world_size
from mmengine.hooks import Hook

from smaug.registry import HOOKS
from ..optim_wrappers.nonfinite_guard import (NonFiniteGuardMixin,
                                              NonFiniteLossError)


@HOOKS.register_module()
class NonFiniteLossHook(Hook):
    """Report the steps a guarded optimizer wrapper skipped
    (:class:`~smaug.engine.optim_wrappers.nonfinite_guard.
    NonFiniteGuardMixin`).

    After an iteration whose update was skipped, it logs which loss terms
    were not finite on which rank (``loss_vtm=nan on rank 1``), with the
    counts, and raises :class:`NonFiniteLossError` (with the same message)
    when the wrapper's ``max_consecutive_nonfinite`` is reached. It runs
    before the checkpoint hook, so no checkpoint is written for a step that
    stops the run. With an unguarded optimizer wrapper it only warns once
    that non-finite steps are not skipped.
    """
    priority = 'HIGH'

    @staticmethod
    def _guard(runner):
        wrapper = runner.optim_wrapper
        return wrapper if isinstance(wrapper, NonFiniteGuardMixin) else None

    def before_train(self, runner):
        """Take over the guard's messages.

        Args:
            runner (Runner): The runner.
        """
        guard = self._guard(runner)
        if guard is None:
            runner.logger.warning(
                f'NonFiniteLossHook: {type(runner.optim_wrapper).__name__} '
                'does not skip steps with a non-finite loss; use '
                'AutoAmpOptimWrapper, GuardedOptimWrapper or '
                'GuardedAmpOptimWrapper.')
            return
        guard.reported_by_hook = True

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None):
        """Report a skipped step; stop the run at the limit. The arguments
        are mmengine's (``outputs``: the step's loss terms)."""
        guard = self._guard(runner)
        if guard is None or not guard.last_nonfinite_ranks:
            return
        values = {key: float(value.detach())
                  for key, value in (outputs or {}).items()
                  if 'loss' in key and key != 'loss'}
        bad = [f'{key}={value}' for key, value in values.items()
               if not math.isfinite(value)]
        per_rank = (all_gather_object(bad)
                    if get_world_size() > 1 else [bad])
        terms = '; '.join(f'{", ".join(names)} on rank {rank}'
                          for rank, names in enumerate(per_rank) if names)
        message = f'Iteration {runner.iter + 1}: ' + guard.describe_skip(
            f' ({terms})' if terms else '')
        if guard.limit_reached:
            raise NonFiniteLossError(message)
        runner.logger.warning(message)
