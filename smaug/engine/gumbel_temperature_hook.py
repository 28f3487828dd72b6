"""Anneal the Gumbel-softmax temperature of frame selectors during training."""
import math

from mmengine.hooks import Hook

from smaug.registry import HOOKS
from .model_attributes import modules_with_attribute


@HOOKS.register_module()
class GumbelTemperatureHook(Hook):
    """Set ``gumbel_tau`` of every sub-module that has one, before each
    training iteration, from ``start`` at the first iteration to ``end`` at
    the last.

    The value depends only on the iteration number, so a resumed run gets
    the same temperatures as an uninterrupted one. It is logged as
    ``gumbel_tau``.

    Args:
        start (float): Temperature at iteration 0. Defaults to 1.0.
        end (float): Temperature at the last iteration. Defaults to 0.1.
        mode (str): ``'linear'`` or ``'exp'`` (geometric interpolation,
            i.e. exponential decay). Defaults to ``'linear'``.
    """
    priority = 'NORMAL'

    def __init__(self, start=1.0, end=0.1, mode='linear'):
        if start <= 0 or end <= 0 or mode not in ('linear', 'exp'):
            raise ValueError(
                'smaug/engine/gumbel_temperature_hook.py: need start > 0, '
                f"end > 0 and mode in ('linear', 'exp'), got start={start}, "
                f'end={end}, mode={mode!r}.')
        self.start = start
        self.end = end
        self.mode = mode

    def temperature(self, progress):
        """The temperature at ``progress`` in [0, 1] of training."""
        if self.mode == 'exp':
            return self.start * math.exp(
                progress * math.log(self.end / self.start))
        return self.start + (self.end - self.start) * progress

    def before_train(self, runner):
        """Warn when the model has nothing to anneal."""
        if not modules_with_attribute(runner, 'gumbel_tau'):
            runner.logger.warning(
                'GumbelTemperatureHook: no module of the model has a '
                '`gumbel_tau` attribute; the hook does nothing.')

    def before_train_iter(self, runner, batch_idx, data_batch=None):
        """Set the temperature for this iteration."""
        progress = min(runner.iter / max(runner.max_iters - 1, 1), 1.)
        tau = self.temperature(progress)
        for module in modules_with_attribute(runner, 'gumbel_tau'):
            module.gumbel_tau = tau
        runner.message_hub.update_scalar('train/gumbel_tau', tau)
