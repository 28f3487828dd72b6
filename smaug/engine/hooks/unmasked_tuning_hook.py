"""FLIP's unmasked tuning at the end of masked pre-training."""
from smaug.registry import HOOKS
from .attribute_schedule_hook import AttributeScheduleHook


@HOOKS.register_module()
class UnmaskedTuningHook(AttributeScheduleHook):
    """Set ``mask_ratio`` of every sub-module that has one (the ViT) to 0 for
    the last ``tuning_ratio`` of the training iterations, so that the model
    ends pre-training on the unmasked frames it sees at test (FLIP, Li et
    al. 2023, Sec. 3); the model's own ratio before. MVM's loss is 0 while
    nothing is masked.

    Logged as ``mask_ratio``; resume-safe (see
    :class:`AttributeScheduleHook`).

    Args:
        tuning_ratio (float): Fraction of the training iterations, at the
            end, without masking, in (0, 1).
    """
    attribute = 'mask_ratio'

    def __init__(self, tuning_ratio):
        self.tuning_ratio = self.checked_ratio('tuning_ratio', tuning_ratio,
                                               allow_one=False)
        self.masked_ratio = None

    def before_train(self, runner):
        """Remember the model's mask ratio."""
        super().before_train(runner)
        ratios = {module.mask_ratio
                  for module in self.scheduled_modules(runner)}
        self.masked_ratio = max(ratios, default=0.)

    def value(self, runner):
        """The mask ratio at the runner's current iteration."""
        start = round((1 - self.tuning_ratio) * runner.max_iters)
        return 0. if runner.iter >= start else self.masked_ratio
