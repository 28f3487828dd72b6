"""Base of the hooks that set a scheduled value on sub-modules each step."""
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper


class AttributeScheduleHook(Hook):
    """Before each training iteration, set attribute ``attribute`` of every
    sub-module that has one to :meth:`value` and log it as
    ``train/{log_name}``.

    Any module with the attribute takes part, so a user's replacement
    component is scheduled too. The value depends only on the iteration
    number, so a resumed run gets the same values as an uninterrupted one.
    Subclasses set ``attribute`` (and ``log_name`` where it differs) and
    define :meth:`value`.
    """
    priority = 'NORMAL'
    attribute = None
    log_name = None

    def checked_ratio(self, name, ratio, allow_one=True):
        """``ratio``, a fraction of the training iterations, or a ValueError
        naming the hook and the argument ``name`` unless it lies in (0, 1]
        ((0, 1) without ``allow_one``)."""
        if not (0 < ratio < 1 or allow_one and ratio == 1):
            interval = '(0, 1]' if allow_one else '(0, 1)'
            raise ValueError(f'{type(self).__name__}: {name} must lie in '
                             f'{interval}, got {ratio}.')
        return ratio

    @staticmethod
    def warmup_progress(runner, warmup_ratio):
        """How far, from 0 to 1, the runner is through a warm-up over the
        first ``warmup_ratio`` of the training iterations."""
        return min(runner.iter / (warmup_ratio * max(runner.max_iters, 1)),
                   1.)

    def value(self, runner):
        """The value at the runner's current iteration."""
        raise NotImplementedError

    def scheduled_modules(self, runner):
        """Every sub-module of the (unwrapped) model with ``attribute``."""
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        return [module for module in model.modules()
                if hasattr(module, self.attribute)]

    def before_train(self, runner):
        """Warn when the model has nothing to schedule."""
        if not self.scheduled_modules(runner):
            runner.logger.warning(
                f'{type(self).__name__}: no module of the model has a '
                f'`{self.attribute}` attribute; the hook does nothing.')

    def before_train_iter(self, runner, batch_idx, data_batch=None):
        """Set this iteration's value and log it."""
        value = self.value(runner)
        for module in self.scheduled_modules(runner):
            setattr(module, self.attribute, value)
        runner.message_hub.update_scalar(
            f'train/{self.log_name or self.attribute}', value)
