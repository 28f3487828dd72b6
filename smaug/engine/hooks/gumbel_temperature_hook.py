"""Anneal the Gumbel-softmax temperature of frame selectors during training."""
import math

from smaug.registry import HOOKS
from .attribute_schedule_hook import AttributeScheduleHook


@HOOKS.register_module()
class GumbelTemperatureHook(AttributeScheduleHook):
    """Set ``gumbel_tau`` of every sub-module that has one, before each
    training iteration, from ``start`` at the first iteration to ``end`` at
    the last.

    Logged as ``gumbel_tau``; resume-safe (see
    :class:`~smaug.engine.hooks.attribute_schedule_hook.
    AttributeScheduleHook`).

    Args:
        start (float): Temperature at iteration 0. Defaults to 1.0.
        end (float): Temperature at the last iteration. Defaults to 0.1.
        mode (str): ``'linear'`` or ``'exp'`` (geometric interpolation,
            i.e. exponential decay). Defaults to ``'linear'``.
    """
    attribute = 'gumbel_tau'

    def __init__(self, start=1.0, end=0.1, mode='linear'):
        if start <= 0 or end <= 0 or mode not in ('linear', 'exp'):
            raise ValueError(
                'smaug/engine/hooks/gumbel_temperature_hook.py: need '
                "start > 0, end > 0 and mode in ('linear', 'exp'), got "
                f'start={start}, end={end}, mode={mode!r}.')
        self.start = start
        self.end = end
        self.mode = mode

    def temperature(self, progress):
        """The temperature at ``progress`` in [0, 1] of training."""
        if self.mode == 'exp':
            return self.start * math.exp(
                progress * math.log(self.end / self.start))
        return self.start + (self.end - self.start) * progress

    def value(self, runner):
        """The temperature at the runner's current iteration."""
        return self.temperature(
            min(runner.iter / max(runner.max_iters - 1, 1), 1.))
