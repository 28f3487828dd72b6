"""KeepRateWarmupHook (EViT's keep-rate warm-up) and UnmaskedTuningHook
(FLIP's unmasked tuning) schedule the ViT's keep and mask rates."""
import math

import pytest
from torch import nn

from smaug.models.backbones import SparseMAEViT
from smaug.registry import HOOKS

from schedule_hook_runs import (fake_runner,
                                warnings_without_target)


def tiny_vit(**settings):
    """A SparseMAEViT of 1 layer, sparsifying at it."""
    return SparseMAEViT(arch=dict(embed_dims=8, num_layers=1, num_heads=2,
                                  feedforward_channels=16),
                        img_size=32, patch_size=16, sparse_layers=(1, ),
                        **settings)


def schedule(hook_cfg, vit, attribute, iterations, max_iters=100):
    """The attribute's value and the logged value at each iteration."""
    runner = fake_runner(nn.Sequential(vit), max_iters, 'remedy_hooks')
    hook = HOOKS.build(hook_cfg)
    hook.before_train(runner)
    values = []
    for iteration in iterations:
        runner.iter = iteration
        hook.before_train_iter(runner, iteration)
        logged = runner.message_hub.get_scalar(
            f'train/{attribute}').current()
        assert logged == pytest.approx(getattr(vit, attribute))
        values.append(getattr(vit, attribute))
    return values


def test_keep_rate_falls_along_a_cosine_to_the_models_rate():
    values = schedule(dict(type='KeepRateWarmupHook', warmup_ratio=0.4),
                      tiny_vit(keep_rate=0.6), 'keep_rate',
                      (0, 10, 20, 40, 99))
    middle = 0.6 + 0.4 * (1 + math.cos(math.pi / 4)) / 2
    assert values == pytest.approx([1., middle, 0.8, 0.6, 0.6])


def test_keep_rate_warmup_resumes_at_the_same_values():
    """A hook built anew (a resumed run) on a model whose keep rate it has
    not touched gives the values of an uninterrupted run."""
    full = schedule(dict(type='KeepRateWarmupHook', warmup_ratio=0.5),
                    tiny_vit(keep_rate=0.7), 'keep_rate', (0, 30, 60))
    resumed = schedule(dict(type='KeepRateWarmupHook', warmup_ratio=0.5),
                       tiny_vit(keep_rate=0.7), 'keep_rate', (30, 60))
    assert resumed == full[1:]


def test_mask_ratio_drops_to_zero_for_the_last_share():
    values = schedule(dict(type='UnmaskedTuningHook', tuning_ratio=0.1),
                      tiny_vit(mask_ratio=0.5), 'mask_ratio',
                      (0, 50, 89, 90, 99))
    assert values == [0.5, 0.5, 0.5, 0., 0.]


def test_remedy_hooks_warn_without_a_vit_and_reject_bad_ratios():
    # A warm-up may last all of training; unmasked tuning may not.
    for kind, argument, bad in (
            ('KeepRateWarmupHook', 'warmup_ratio', (0., 1.5)),
            ('UnmaskedTuningHook', 'tuning_ratio', (0., 1., 1.5))):
        warnings = warnings_without_target({'type': kind, argument: 0.5})
        assert len(warnings) == 1 and kind in warnings[0]
        for ratio in bad:
            with pytest.raises(ValueError, match=f'{kind}: {argument}'):
                HOOKS.build({'type': kind, argument: ratio})
    assert HOOKS.build(dict(type='KeepRateWarmupHook',
                            warmup_ratio=1.)).warmup_ratio == 1.
