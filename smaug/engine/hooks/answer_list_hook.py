"""Hands the evaluated dataset's answer list to the QA model."""
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from smaug.registry import HOOKS


@HOOKS.register_module()
class AnswerListHook(Hook):
    """Before validation and testing, give the model the answer list of the
    dataset it is evaluated on (``metainfo['answer_list']`` of
    ``VideoQADataset``), through its ``set_answer_list``. mmengine's ValLoop
    and TestLoop pass only batches to the model, so the answers it ranks
    (``SMAUGQA``) would otherwise have to be named twice in a config.
    """

    def before_val(self, runner) -> None:
        """Set the validation dataset's answer list."""
        self._set_answer_list(runner, runner.val_loop.dataloader, 'val')

    def before_test(self, runner) -> None:
        """Set the test dataset's answer list."""
        self._set_answer_list(runner, runner.test_loop.dataloader, 'test')

    @staticmethod
    def _set_answer_list(runner, dataloader, phase):
        dataset = dataloader.dataset
        answers = getattr(dataset, 'metainfo', {}).get('answer_list')
        if answers is None:
            raise KeyError(
                f'AnswerListHook: the {phase} dataset '
                f'({type(dataset).__name__}) has no "answer_list" in its '
                'metainfo; use VideoQADataset with answer_list_file.')
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        model.set_answer_list(answers)
