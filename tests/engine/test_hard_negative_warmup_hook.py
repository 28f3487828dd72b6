"""HardNegativeWarmupHook ramps the VTM head's negative hardness to 1."""
from types import SimpleNamespace

import pytest
from mmengine.logging import MessageHub, MMLogger
from torch import nn

from smaug.models.heads import VTMHead
from smaug.registry import HOOKS


def fake_runner(model, max_iters):
    return SimpleNamespace(
        model=model, iter=0, max_iters=max_iters,
        message_hub=MessageHub.get_instance('test_hard_negative_hook'),
        logger=MMLogger.get_instance('test_hard_negative_hook'))


def test_ramps_linearly_then_stays_at_one():
    head = VTMHead(in_channels=4)
    runner = fake_runner(nn.Sequential(nn.Linear(2, 2), head), 100)
    hook = HOOKS.build(dict(type='HardNegativeWarmupHook', warmup_ratio=0.4))
    hook.before_train(runner)
    for iteration, expected in ((0, 0.), (10, 0.25), (20, 0.5), (40, 1.),
                                (99, 1.)):
        runner.iter = iteration
        hook.before_train_iter(runner, iteration)
        assert head.negative_hardness == pytest.approx(expected)
        assert runner.message_hub.get_scalar(
            'train/vtm_negative_hardness').current() == pytest.approx(expected)


def test_warns_without_vtm_head_and_rejects_bad_ratio():
    runner = fake_runner(nn.Linear(2, 2), 4)
    warnings = []
    runner.logger = SimpleNamespace(warning=warnings.append)
    hook = HOOKS.build(dict(type='HardNegativeWarmupHook'))
    hook.before_train(runner)
    hook.before_train_iter(runner, 0)
    assert len(warnings) == 1 and 'negative_hardness' in warnings[0]
    for ratio in (0., 1.5):
        with pytest.raises(ValueError, match='warmup_ratio'):
            HOOKS.build(dict(type='HardNegativeWarmupHook',
                             warmup_ratio=ratio))
