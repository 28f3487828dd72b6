"""On GPUs SMAUGRunner leaves the DDP wrapping to mmengine's wrap_model; it
must hand it find_unused_parameters=True for a model that says a step can
leave parameters without gradient. (The CPU path is run for real, with every
shipped config, by tests/tools/test_dist_train_configs.py.)"""
import pytest
import torch
from mmengine.config import Config
from mmengine.logging import MMLogger
from mmengine.runner import Runner
from torch import nn

from smaug.engine import SMAUGRunner


class SometimesIdle(nn.Linear):
    """A model some of whose steps leave parameters unused."""
    may_leave_parameters_unused = True


def gpu_wrapper_cfg(monkeypatch, model, **cfg):
    """The wrapper config SMAUGRunner hands mmengine's wrap_model on a GPU
    machine, for ``model`` and a run config ``cfg``."""
    handed = []
    MMLogger.get_current_instance()  # as a Runner has, before CUDA is faked
    monkeypatch.setattr(torch.cuda, 'is_available', lambda: True)
    monkeypatch.setattr(
        Runner, 'wrap_model',
        lambda self, wrapper_cfg, module: handed.append(wrapper_cfg))
    runner = object.__new__(SMAUGRunner)
    runner._distributed = True
    runner.cfg = Config(cfg)
    runner.wrap_model(cfg.get('model_wrapper_cfg'), model)
    return handed[0]


@pytest.mark.parametrize('model,expected', [(SometimesIdle(2, 2), True),
                                            (nn.Linear(2, 2), False)])
def test_model_decides_when_config_is_silent(monkeypatch, model, expected):
    wrapper_cfg = gpu_wrapper_cfg(monkeypatch, model)
    assert wrapper_cfg == dict(type='MMDistributedDataParallel',
                               broadcast_buffers=False,
                               find_unused_parameters=expected)


def test_wrapper_cfg_without_the_setting_gets_it(monkeypatch):
    wrapper_cfg = gpu_wrapper_cfg(
        monkeypatch, SometimesIdle(2, 2),
        model_wrapper_cfg=dict(type='MMDistributedDataParallel',
                               static_graph=False))
    assert wrapper_cfg['find_unused_parameters'] is True
    assert wrapper_cfg['static_graph'] is False


@pytest.mark.parametrize('cfg', [
    dict(find_unused_parameters=False),
    dict(model_wrapper_cfg=dict(find_unused_parameters=False)),
])
def test_config_setting_wins(monkeypatch, cfg):
    wrapper_cfg = gpu_wrapper_cfg(monkeypatch, SometimesIdle(2, 2), **cfg)
    assert wrapper_cfg['find_unused_parameters'] is False


def test_other_wrappers_are_left_alone(monkeypatch):
    wrapper_cfg = gpu_wrapper_cfg(
        monkeypatch, SometimesIdle(2, 2),
        model_wrapper_cfg=dict(type='MMFullyShardedDataParallel'))
    assert 'find_unused_parameters' not in wrapper_cfg
