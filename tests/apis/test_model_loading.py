"""init_model: eval mode, config attached, weights from the checkpoint,
read weights-only unless trusted."""
import argparse

import pytest
import torch
from search_setup import DEMO_CONFIG

from smaug.apis import init_model
from smaug.checkpoints import UntrustedCheckpointError
from smaug.config import ConfigError


def test_loads_checkpoint_in_eval_mode_with_cfg(setup, model):
    saved = torch.load(setup['checkpoint'], weights_only=True)['state_dict']
    assert not model.training
    assert model.cfg.filename == DEMO_CONFIG
    assert 'test_dataloader' in model.cfg
    state = model.state_dict()
    assert state.keys() == saved.keys()
    assert all(torch.equal(state[key], saved[key]) for key in saved)


def test_cfg_options_reach_model_and_cfg(setup):
    model = init_model(DEMO_CONFIG, setup['checkpoint'],
                       cfg_options={'model.num_test_selected_frames': 3})
    assert model.num_test_selected_frames == 3
    assert model.cfg.model.num_test_selected_frames == 3


def test_cfg_options_mean_what_they_mean_to_train_py(setup):
    """A config variable reaches the model and the test pipeline, and an
    override that would be ignored is refused, as tools/train.py does."""
    model = init_model(DEMO_CONFIG, cfg_options={'img_size': 32})
    assert model.backbone.img_size == (32, 32)
    assert model.cfg.test_dataloader.dataset.pipeline[0].img_size == 32
    with pytest.raises(ConfigError, match='did you mean img_size'):
        init_model(DEMO_CONFIG, cfg_options={'img_sizes': 32})


def test_missing_weights_name_checkpoint_and_keys(setup, tmp_path):
    saved = torch.load(setup['checkpoint'], weights_only=True)['state_dict']
    partial = {key: value for key, value in saved.items()
               if not key.startswith('vtm_head.')}
    path = tmp_path / 'partial.pth'
    torch.save({'state_dict': partial}, path)
    with pytest.raises(KeyError, match=r'partial\.pth.*vtm_head\.'):
        init_model(DEMO_CONFIG, str(path))


def test_ddp_prefix_and_extra_weights_are_accepted(setup, tmp_path):
    saved = torch.load(setup['checkpoint'], weights_only=True)['state_dict']
    wrapped = {f'module.{key}': value for key, value in saved.items()}
    wrapped['module.unused_head.weight'] = torch.zeros(2)
    path = tmp_path / 'ddp.pth'
    torch.save({'state_dict': wrapped}, path)
    model = init_model(DEMO_CONFIG, str(path))
    assert torch.equal(model.state_dict()['vtm_head.classifier.weight'],
                       saved['vtm_head.classifier.weight'])


def test_pickled_objects_need_trust(setup, tmp_path):
    saved = torch.load(setup['checkpoint'], weights_only=True)
    saved['meta'] = dict(extra=argparse.Namespace(epoch=1))
    path = tmp_path / 'pickled.pth'
    torch.save(saved, path)
    with pytest.raises(UntrustedCheckpointError, match='--trust-checkpoint'):
        init_model(DEMO_CONFIG, str(path))
    model = init_model(DEMO_CONFIG, str(path), trust_checkpoint=True)
    assert torch.equal(model.state_dict()['vtm_head.classifier.weight'],
                       saved['state_dict']['vtm_head.classifier.weight'])
