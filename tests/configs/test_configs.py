"""Every config builds; the tiny ones train a step on the synthetic corpus."""
from pathlib import Path

import pytest
import torch
from mmengine.optim import build_optim_wrapper
from mmengine.registry import init_default_scope

import smaug.datasets  # noqa: F401  (registers the datasets)
import smaug.engine  # noqa: F401
import smaug.evaluation  # noqa: F401
import smaug.models  # noqa: F401
from smaug.config import load_config
from smaug.engine import SMAUGRunner
from smaug.registry import (DATA_SAMPLERS, DATASETS, EVALUATORS, HOOKS,
                            LOOPS, METRICS, MODEL_WRAPPERS, MODELS,
                            OPTIM_WRAPPERS,
                            OPTIMIZERS, PARAM_SCHEDULERS, TRANSFORMS,
                            VISBACKENDS, VISUALIZERS, WEIGHT_INITIALIZERS)

import media_files

REPO_ROOT = Path(__file__).resolve().parents[2]

CONFIGS = sorted(str(path.relative_to(REPO_ROOT))
                 for path in (REPO_ROOT / 'configs').rglob('*.py')
                 if '_base_' not in path.parts)
TINY_CONFIGS = ['configs/demo/smaug_tiny_synthetic.py',
                'configs/demo/dense_tiny_synthetic.py']
REGISTRIES = (MODELS, DATASETS, TRANSFORMS, DATA_SAMPLERS, LOOPS, HOOKS,
              METRICS, EVALUATORS, OPTIMIZERS, OPTIM_WRAPPERS,
              PARAM_SCHEDULERS, VISUALIZERS, VISBACKENDS,
              WEIGHT_INITIALIZERS, MODEL_WRAPPERS)


def config_types(node):
    """Every ``type`` string anywhere in a config."""
    if isinstance(node, dict):
        if isinstance(node.get('type'), str):
            yield node['type']
        for value in node.values():
            yield from config_types(value)
    elif isinstance(node, (list, tuple)):
        for value in node:
            yield from config_types(value)


def resolves(type_name):
    """Whether a registry of smaug (or a parent) knows ``type_name``."""
    return any(registry.get(type_name) is not None for registry in REGISTRIES)


def test_all_configs_are_listed():
    assert 'configs/smaug_pretrain_17m.py' in CONFIGS
    assert any('ablations' in name for name in CONFIGS)
    assert len(CONFIGS) >= 30


@pytest.mark.parametrize('config', CONFIGS)
def test_config_builds(config):
    init_default_scope('smaug')
    cfg = load_config(REPO_ROOT / config)
    unknown = sorted({name for name in config_types(cfg._cfg_dict.to_dict())
                      if not resolves(name)})
    assert not unknown, f'{config} names unregistered types {unknown}'
    with torch.device('meta'):
        model = MODELS.build(cfg.model)
    assert sum(param.numel() for param in model.parameters()) > 0


@pytest.fixture(scope='module')
def synthetic_workspace(tmp_path_factory):
    """A folder holding data/synthetic (a small corpus), as configs expect."""
    root = tmp_path_factory.mktemp('workspace')
    media_files.make_synthetic(root / 'data' / 'synthetic', num_videos=16,
                               num_frames=8, size=64, num_images=4)
    return root


@pytest.mark.parametrize('config', TINY_CONFIGS)
def test_tiny_config_trains_one_step(config, synthetic_workspace,
                                     monkeypatch):
    cfg = load_config(REPO_ROOT / config)
    monkeypatch.chdir(synthetic_workspace)
    init_default_scope('smaug')
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    model.init_weights()
    loader_cfg = dict(cfg.train_dataloader, num_workers=0,
                      persistent_workers=False, batch_size=4)
    batch = next(iter(SMAUGRunner.build_dataloader(loader_cfg, seed=0)))
    optim_wrapper = build_optim_wrapper(model, cfg.optim_wrapper)
    before = [param.detach().clone() for param in model.parameters()]
    log_vars = model.train_step(batch, optim_wrapper)
    assert torch.isfinite(log_vars['loss'])
    changed = sum(not torch.equal(old, new.detach())
                  for old, new in zip(before, model.parameters()))
    assert changed > len(before) // 2


SELECTOR_MODULE = """
import torch
from smaug.registry import MODELS


@MODELS.register_module()
class FirstFramesSelector(torch.nn.Module):
    calls = 0

    def forward(self, frame_cls, text_cls):
        FirstFramesSelector.calls += 1
        return -torch.arange(frame_cls.shape[1], dtype=frame_cls.dtype)[
            None].expand(frame_cls.shape[0], -1)

    def select(self, frame_tokens, scores, num_selected):
        return frame_tokens[:, :num_selected]
"""


def test_user_module_replaces_frame_selector(tmp_path, monkeypatch,
                                             synthetic_workspace):
    (tmp_path / 'my_selectors.py').write_text(SELECTOR_MODULE)
    config = tmp_path / 'my_config.py'
    config.write_text(
        f"_base_ = ['{REPO_ROOT}/configs/demo/smaug_tiny_synthetic.py']\n"
        "custom_imports = dict(imports=['my_selectors'])\n"
        "model = dict(frame_selector=dict(_delete_=True,\n"
        "                                 type='FirstFramesSelector'))\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    cfg = load_config(config)
    monkeypatch.chdir(synthetic_workspace)
    init_default_scope('smaug')
    model = MODELS.build(cfg.model)
    assert type(model.frame_selector).__name__ == 'FirstFramesSelector'
    loader_cfg = dict(cfg.train_dataloader, num_workers=0,
                      persistent_workers=False, batch_size=4)
    batch = next(iter(SMAUGRunner.build_dataloader(loader_cfg, seed=0)))
    losses = model(**model.data_preprocessor(batch, True), mode='loss')
    assert torch.isfinite(losses['loss_vtm'])
    assert model.frame_selector.calls > 0


@pytest.mark.parametrize('config', CONFIGS)
def test_optimizer_steps_on_the_cpu(config):
    """The configs' optimizer options (e.g. fused AdamW) work here too, on
    a model with a weight tied in two places, as SMAUG's word embedding and
    MLM / answer decoder are."""
    cfg = load_config(REPO_ROOT / config)
    if 'optim_wrapper' not in cfg:
        pytest.skip('test-only config')
    init_default_scope('smaug')
    model = torch.nn.Sequential(torch.nn.Linear(3, 3), torch.nn.LayerNorm(3),
                                torch.nn.Linear(3, 3))
    model[2].weight = model[0].weight
    optim_wrapper = build_optim_wrapper(model, cfg.optim_wrapper)
    before = model[0].weight.detach().clone()
    optim_wrapper.update_params(model(torch.ones(2, 3)).square().sum())
    assert not torch.equal(before, model[0].weight)
