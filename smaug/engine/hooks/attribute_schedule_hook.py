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
    Subclasses set ``attribute`` and ``log_name`` and define :meth:`value`.
    """
    priority = 'NORMAL'
    attribute = None
    log_name = None

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
        runner.message_hub.update_scalar(f'train/{self.log_name}', value)
