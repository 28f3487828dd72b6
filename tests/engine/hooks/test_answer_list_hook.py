"""AnswerListHook hands the evaluated dataset's answer list to the model."""
from types import SimpleNamespace

import pytest
import torch
from mmengine.model import MMDistributedDataParallel

from smaug.engine import AnswerListHook


class Recorder(torch.nn.Module):
    """Stands in for SMAUGQA: records what set_answer_list receives."""

    def __init__(self):
        super().__init__()
        self.answer_list = None

    def set_answer_list(self, answers):
        self.answer_list = answers


def fake_runner(model, val_answers, test_metainfo):
    def loop(metainfo):
        return SimpleNamespace(dataloader=SimpleNamespace(
            dataset=SimpleNamespace(metainfo=metainfo)))
    return SimpleNamespace(model=model,
                           val_loop=loop(dict(answer_list=val_answers)),
                           test_loop=loop(test_metainfo))


def test_val_and_test_datasets_give_their_lists():
    model = Recorder()
    runner = fake_runner(model, ['a', 'b'], dict(answer_list=['c']))
    hook = AnswerListHook()
    hook.before_val(runner)
    assert model.answer_list == ['a', 'b']
    hook.before_test(runner)
    assert model.answer_list == ['c']


def test_wrapped_model_and_missing_list():
    model = Recorder()
    wrapper = MMDistributedDataParallel.__new__(MMDistributedDataParallel)
    torch.nn.Module.__init__(wrapper)
    wrapper.module = model
    runner = fake_runner(wrapper, ['yes', 'no'], dict(classes=['x']))
    AnswerListHook().before_val(runner)
    assert model.answer_list == ['yes', 'no']
    with pytest.raises(KeyError, match='test dataset'):
        AnswerListHook().before_test(runner)
