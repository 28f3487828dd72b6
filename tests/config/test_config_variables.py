"""One frame count and one frame size per config: in every shipped config
the training clips and the temporal encoder have the same frame count, and
every pipeline and the ViT the same frame size, which frame_settings gives;
the shipped files state each only as a config variable, so that one
override (``--cfg-options num_frames=8``, read by stock mmengine) changes
the data and the model together."""
from pathlib import Path

import pytest
from mmengine.config import Config

from smaug.config import (CONFIG_VARIABLES, ConfigError, frame_settings,
                          load_config)
from smaug.config.config_variables import (fill_config_variables,
                                           variable_targets)

import small_configs

REPO_ROOT = Path(__file__).resolve().parents[2]

CONFIGS = small_configs.shipped_configs()
FRAME_VARIABLES = [name for name, variable in CONFIG_VARIABLES.items()
                   if variable.single]


def presets(cfg, preset_type):
    """Every pipeline preset of ``preset_type`` in the dataloaders."""
    found = []
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        dataset = (cfg.get(loader) or {}).get('dataset') or {}
        for item in dataset.get('datasets', [dataset]):
            found += [step for step in item.get('pipeline', [])
                      if step.get('type') == preset_type]
    return found


@pytest.mark.parametrize('config', CONFIGS)
def test_data_and_model_follow_one_frame_count_and_size(config):
    cfg = load_config(REPO_ROOT / config)
    settings = frame_settings(cfg)
    train_clips = {step.num_frames
                   for step in presets(cfg, 'VideoTrainPipeline')}
    test_clips = {step.num_frames
                  for step in presets(cfg, 'VideoTestPipeline')}
    sizes = {step.img_size for kind in ('VideoTrainPipeline',
                                        'ImageTrainPipeline',
                                        'VideoTestPipeline')
             for step in presets(cfg, kind)}
    temporal = cfg.model.get('temporal_encoder')
    if temporal:
        assert train_clips <= {temporal.num_frames}, config
        assert settings.num_frames == temporal.num_frames, config
    assert train_clips <= {settings.num_frames}, config
    assert test_clips == {settings.num_test_frames}, config
    assert sizes == {settings.img_size} == {cfg.model.backbone.img_size}
    if cfg.model.get('mvm_head'):
        assert cfg.model.mvm_head.img_size == settings.img_size, config


@pytest.mark.parametrize('config', CONFIGS)
def test_shipped_files_state_frames_only_as_variables(config):
    raw = Config.fromfile(str(REPO_ROOT / config))
    for name in FRAME_VARIABLES:
        variable = CONFIG_VARIABLES[name]
        stated = [path for path, entry in variable_targets(raw, variable)
                  if variable.argument in entry]
        assert not stated, f'{config} sets {stated} besides {name}'


def test_one_override_changes_the_data_and_the_temporal_encoder():
    config = REPO_ROOT / 'configs' / 'smaug_pretrain_5m_4frame.py'
    cfg = load_config(config, {'num_frames': 8})
    webvid, cc3m = cfg.train_dataloader.dataset.datasets
    assert webvid.pipeline[0].num_frames == 8
    assert cfg.model.temporal_encoder.num_frames == 8
    assert cfg.model.num_selected_frames == 2
    assert 'num_frames' not in cc3m.pipeline[0]  # images are one frame
    assert cfg.val_dataloader.dataset.pipeline[0].num_frames == 12
    assert frame_settings(cfg) == (8, 12, 224)
    # mmengine's own loading and merging, then the variables filled in
    stock = Config.fromfile(str(config))
    stock.merge_from_dict({'num_frames': 8})
    fill_config_variables(stock)
    assert stock.to_dict() == cfg.to_dict()


def test_the_frame_size_is_one_override():
    cfg = load_config(REPO_ROOT / 'configs' / 'smaug_ret_msrvtt.py',
                      {'img_size': 288})
    assert frame_settings(cfg).img_size == 288
    assert cfg.model.backbone.img_size == 288
    assert cfg.train_dataloader.dataset.pipeline[0].img_size == 288
    assert cfg.test_dataloader.dataset.pipeline[0].img_size == 288


@pytest.mark.parametrize('config, options, message', [
    ('smaug_pretrain_5m_4frame.py', {'model.temporal_encoder.num_frames': 8},
     'model.temporal_encoder.num_frames is 8 but num_frames is 4'),
    # a test of a single-frame model: no training clip, no temporal encoder
    ('smaug_mc_msrvtt.py', {'num_frames': 4},
     'num_frames: no entry of the config takes it'),
])
def test_frame_overrides_that_cannot_hold_are_refused(config, options,
                                                      message):
    with pytest.raises(ConfigError, match=message):
        load_config(REPO_ROOT / 'configs' / config, options)


def test_default_variables_leave_an_entry_its_own_value():
    cfg = load_config(REPO_ROOT / 'configs' / 'smaug_pretrain_17m.py',
                      {'media_format': 'shards', 'data_root': '/elsewhere'})
    corpora = cfg.train_dataloader.dataset.datasets
    assert [corpus.media_format for corpus in corpora] == ['shards'] * 6
    assert [corpus.data_root for corpus in corpora] == [
        f'data/{name}' for name in ('webvid', 'cc3m', 'cc12m', 'sbu', 'vg',
                                    'coco')]
    assert cfg.val_dataloader.dataset.data_root == '/elsewhere'


def test_frame_settings_of_a_config_without_them():
    assert frame_settings(Config(dict(model=dict(type='X')))) == (
        None, None, None)
