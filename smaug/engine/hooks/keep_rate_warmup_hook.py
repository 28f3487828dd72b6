"""EViT's keep-rate warm-up for token sparsification."""
import math

from smaug.registry import HOOKS
from .attribute_schedule_hook import AttributeScheduleHook


@HOOKS.register_module()
class KeepRateWarmupHook(AttributeScheduleHook):
    """Set ``keep_rate`` of every sub-module that has one (the ViT) before
    each training iteration: from 1 (no token dropped) at iteration 0 down
    to the model's own keep rate at ``warmup_ratio`` of training, along a
    cosine, then the model's rate (EViT, Liang et al. 2022, Sec. 4).

    Logged as ``keep_rate``; resume-safe (see :class:`AttributeScheduleHook`).

    Args:
        warmup_ratio (float): Fraction of the training iterations of the
            warm-up, in (0, 1].
    """
    attribute = 'keep_rate'

    def __init__(self, warmup_ratio):
        self.warmup_ratio = self.checked_ratio('warmup_ratio', warmup_ratio)
        self.target = None

    def before_train(self, runner):
        """Remember the model's keep rate: the warm-up's end."""
        super().before_train(runner)
        rates = {module.keep_rate for module in self.scheduled_modules(runner)}
        if len(rates) > 1:
            raise ValueError(
                'smaug/engine/hooks/keep_rate_warmup_hook.py: the model has '
                f'modules with different keep rates {sorted(rates)}; one '
                'warm-up cannot end at each.')
        self.target = rates.pop() if rates else 1.0

    def value(self, runner):
        """The keep rate at the runner's current iteration."""
        progress = self.warmup_progress(runner, self.warmup_ratio)
        return self.target + (1 - self.target) * (
            1 + math.cos(math.pi * progress)) / 2
