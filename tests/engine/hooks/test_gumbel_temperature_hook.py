"""GumbelTemperatureHook anneals every gumbel_tau of the model."""

import pytest
from torch import nn

from smaug.models.necks import TextGuidedFrameSelector
from smaug.registry import HOOKS

from schedule_hook_runs import (fake_runner,
                                warnings_without_target)


@pytest.mark.parametrize('mode,middle', [('linear', 0.55), ('exp', 0.1**0.5)])
def test_anneals_from_start_to_end(mode, middle):
    selectors = [TextGuidedFrameSelector(16, 16, 8, feedforward_channels=8)
                 for _ in range(2)]
    runner = fake_runner(nn.Sequential(nn.Linear(2, 2), *selectors), 11,
                         'test_gumbel_hook')
    hook = HOOKS.build(dict(type='GumbelTemperatureHook', start=1.0, end=0.1,
                            mode=mode))
    hook.before_train(runner)
    for iteration, expected in ((0, 1.0), (5, middle), (10, 0.1)):
        runner.iter = iteration
        hook.before_train_iter(runner, iteration)
        for selector in selectors:
            assert selector.gumbel_tau == pytest.approx(expected)
    assert runner.message_hub.get_scalar('train/gumbel_tau').current() == \
        pytest.approx(0.1)


def test_warns_without_selector_and_rejects_bad_settings():
    warnings = warnings_without_target(dict(type='GumbelTemperatureHook'))
    assert len(warnings) == 1 and 'gumbel_tau' in warnings[0]
    with pytest.raises(ValueError, match='mode'):
        HOOKS.build(dict(type='GumbelTemperatureHook', mode='cosine'))
    with pytest.raises(ValueError, match='start'):
        HOOKS.build(dict(type='GumbelTemperatureHook', start=0.))
