"""SMAUGRunner's total batch size, the AMP-if-GPU optim wrapper, and
tools/train.py's --amp on a machine without a GPU."""

import pytest
import torch
from mmengine.config import Config
from mmengine.logging import MMLogger
from mmengine.optim import AmpOptimWrapper, OptimWrapper

from smaug.engine import (AutoAmpOptimWrapper, GuardedAmpOptimWrapper,
                          GuardedOptimWrapper, SMAUGRunner)

from tool_scripts import load_tool


def toy_dataloader_cfg(**batch):
    """A dataloader config over a list of numbers."""
    return dict(dataset=list(range(8)),
                sampler=dict(type='mmengine.DefaultSampler', shuffle=False),
                num_workers=0, **batch)


def test_total_batch_size_splits_over_processes(monkeypatch):
    monkeypatch.setattr('smaug.engine.runners.runner.get_world_size',
                        lambda: 4)
    dataloader = SMAUGRunner.build_dataloader(
        toy_dataloader_cfg(total_batch_size=128))
    assert dataloader.batch_size == 32


def test_total_batch_size_must_split_evenly(monkeypatch):
    monkeypatch.setattr('smaug.engine.runners.runner.get_world_size',
                        lambda: 3)
    with pytest.raises(ValueError, match='total_batch_size=128'):
        SMAUGRunner.build_dataloader(toy_dataloader_cfg(total_batch_size=128))


def test_auto_amp_is_plain_on_cpu_and_amp_on_gpu(monkeypatch):
    optimizer = torch.optim.SGD([torch.nn.Parameter(torch.ones(1))], lr=0.1)
    monkeypatch.setattr(torch.cuda, 'is_available', lambda: False)
    wrapper = AutoAmpOptimWrapper(optimizer=optimizer)
    assert type(wrapper) is GuardedOptimWrapper
    unguarded = AutoAmpOptimWrapper(optimizer=optimizer,
                                    max_consecutive_nonfinite=None)
    assert type(unguarded) is OptimWrapper
    monkeypatch.setattr(torch.cuda, 'is_available', lambda: True)
    monkeypatch.setattr(AmpOptimWrapper, '__init__',
                        lambda self, **kwargs: setattr(self, 'kw', kwargs))
    wrapper = AutoAmpOptimWrapper(optimizer=optimizer)
    assert isinstance(wrapper, GuardedAmpOptimWrapper)
    assert wrapper.kw['dtype'] == 'bfloat16'


def test_amp_without_gpu_warns_and_trains_in_float32(monkeypatch):
    train_tool = load_tool('train.py')
    monkeypatch.setattr(torch.cuda, 'is_available', lambda: False)
    MMLogger.get_instance('amp_without_gpu')
    cfg = Config(dict(optim_wrapper=dict(type='OptimWrapper')))
    train_tool.enable_amp(cfg)
    assert cfg.optim_wrapper.type == 'OptimWrapper'
