"""HardNegativeWarmupHook ramps the VTM head's negative hardness to 1."""

import pytest
from torch import nn

from smaug.models.heads import VTMHead
from smaug.registry import HOOKS

from schedule_hook_runs import (fake_runner,
                                warnings_without_target)


def test_ramps_linearly_then_stays_at_one():
    head = VTMHead(in_channels=4)
    runner = fake_runner(nn.Sequential(nn.Linear(2, 2), head), 100,
                         'test_hard_negative_hook')
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
    warnings = warnings_without_target(dict(type='HardNegativeWarmupHook'))
    assert len(warnings) == 1 and 'negative_hardness' in warnings[0]
    for ratio in (0., 1.5):
        with pytest.raises(ValueError, match='warmup_ratio'):
            HOOKS.build(dict(type='HardNegativeWarmupHook',
                             warmup_ratio=ratio))
