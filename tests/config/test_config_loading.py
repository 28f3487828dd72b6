"""load_config: stock mmengine loading and merging of ``--cfg-options``,
then the config variables written into the entries that take them;
overrides that would be ignored, options without ``=`` and syntax errors
get clear errors naming the file. The user-facing cases run tools/train.py
as a user would."""
import argparse
import json
import subprocess
import sys

import pytest
from mmengine.config import Config

from smaug.cli.command_line import add_common_arguments
from smaug.config import ConfigError, load_config


@pytest.fixture
def configs(tmp_path):
    """A config with config variables (one set in its base) and entries
    that take them, as configs/ has them."""
    (tmp_path / 'base').mkdir()
    (tmp_path / 'base' / 'schedule.py').write_text(
        'max_epochs = 10\n'
        'train_cfg = dict(by_epoch=True)\n')
    (tmp_path / 'child.py').write_text(
        '_base_ = ["./base/schedule.py"]\n'
        'num_frames = 4\n'
        'img_size = 32\n'
        'train_pipeline = [dict(type="VideoTrainPipeline")]\n'
        'train_dataloader = dict(batch_size=2, '
        'dataset=dict(pipeline=train_pipeline))\n'
        'model = dict(backbone=dict(type="SparseMAEViT"), '
        'temporal_encoder=dict(type="TemporalEncoder"))\n'
        'unused = 1\n'
        'max_epochs = 5\n')
    return tmp_path


def test_variables_fill_the_entries_that_take_them(configs):
    cfg = load_config(configs / 'child.py')
    assert cfg.train_cfg == dict(by_epoch=True, max_epochs=5)
    assert cfg.train_dataloader.dataset.pipeline[0] == dict(
        type='VideoTrainPipeline', num_frames=4, img_size=32)
    assert cfg.model.temporal_encoder.num_frames == 4
    assert cfg.model.backbone.img_size == 32
    assert cfg.filename == str(configs / 'child.py')


def test_one_override_of_a_variable_reaches_every_entry(configs):
    cfg = load_config(configs / 'child.py',
                      {'max_epochs': 2, 'num_frames': 8})
    assert cfg.train_cfg.max_epochs == 2
    assert cfg.train_dataloader.dataset.pipeline[0].num_frames == 8
    assert cfg.model.temporal_encoder.num_frames == 8


def test_a_config_object_is_read_as_a_copy(configs):
    raw = Config.fromfile(str(configs / 'child.py'))
    cfg = load_config(raw, {'img_size': 64})
    assert cfg.model.backbone.img_size == 64
    assert 'img_size' not in raw.model.backbone and raw.img_size == 32


def test_runner_entries_merge_as_in_mmengine(configs):
    cfg = load_config(configs / 'child.py',
                      {'train_cfg.max_epochs': 3, 'work_dir': 'w'})
    assert cfg.train_cfg.max_epochs == 3  # an entry's own value wins
    assert cfg.max_epochs == 5
    assert cfg.work_dir == 'w'


@pytest.mark.parametrize('option, message', [
    ('max_epoch', "'max_epoch' is neither a key the Runner reads nor a "
     'config variable (did you mean max_epochs?)'),
    ('batch_size', 'did you mean train_dataloader.batch_size?'),
    ('train_pipeline.0.num_frames', 'train_pipeline is a name the config '
     'files use while they are read; its value is already copied into the '
     'entries below it, override those (did you mean '
     'train_dataloader.dataset.pipeline?)'),
    ('unused', 'unused is a name the config files use while they are read'),
    ('num_frames.x', 'num_frames.x: num_frames is a config variable, a '
     'single value'),
    ('num_test_frames', 'num_test_frames: no entry of the config takes it'),
])
def test_overrides_that_would_be_ignored_are_refused(configs, option,
                                                     message):
    path = configs / 'child.py'
    with pytest.raises(ConfigError) as error:
        load_config(path, {option: 7})
    assert str(path) in str(error.value)
    assert message in str(error.value)


def test_a_variable_that_every_entry_overrides_is_refused(configs):
    with pytest.raises(ConfigError, match=r'max_epochs: no entry of the '
                       r'config takes it \(these set their own max_epochs: '
                       r'train_cfg\)'):
        load_config(configs / 'child.py',
                    {'max_epochs': 2, 'train_cfg.max_epochs': 3})


def test_an_entry_against_its_frame_variable_is_refused(configs):
    with pytest.raises(ConfigError, match=r'child.py:\n  model.temporal_'
                       r'encoder.num_frames is 8 but num_frames is 4: leave '
                       r'it unset and set num_frames'):
        load_config(configs / 'child.py',
                    {'model.temporal_encoder.num_frames': 8})


def test_a_frame_entry_without_its_variable_is_named(configs):
    path = configs / 'child.py'
    path.write_text(path.read_text().replace('img_size = 32\n', ''))
    with pytest.raises(ConfigError, match=r'model.backbone.img_size: not '
                       r'set, and the config has no top-level img_size'):
        load_config(path)


@pytest.mark.parametrize('broken', ['child.py', 'base/schedule.py'])
def test_a_syntax_error_names_the_file_and_the_line(configs, broken):
    path = configs / broken
    path.write_text(path.read_text() + 'model = dict(type="X",\n')
    line = len(path.read_text().splitlines())
    with pytest.raises(ConfigError) as error:
        load_config(str(configs / 'child.py'))
    assert f'{path}, line {line}: ' in str(error.value)
    assert 'model = dict(type="X",' in str(error.value)


def test_a_missing_base_names_the_config_that_lists_it(configs):
    (configs / 'base' / 'schedule.py').unlink()
    with pytest.raises(ConfigError, match=r"child.py: _base_ file "
                       r"'./base/schedule.py' not found"):
        load_config(str(configs / 'child.py'))


def test_an_option_without_value_is_a_usage_error(capsys):
    parser = argparse.ArgumentParser(prog='train.py')
    add_common_arguments(parser)
    with pytest.raises(SystemExit) as error:
        parser.parse_args(['--cfg-options', 'train_cfg.max_epochs=2',
                           'max_epochs'])
    assert error.value.code == 2
    assert ("error: argument --cfg-options: 'max_epochs' is not of the "
            'form KEY=VALUE') in capsys.readouterr().err


# ----------------------------------------------------------------------------
# tools/train.py, as a user runs it
# ----------------------------------------------------------------------------
def train(repo_root, tool_env, work_dir, *options):
    """Run tools/train.py on the toy run with the demo's schedule."""
    config = repo_root / 'tests' / 'fixtures' / 'configs' / \
        'toy_demo_schedule.py'
    return subprocess.run(
        [sys.executable, str(repo_root / 'tools' / 'train.py'), str(config),
         '--work-dir', str(work_dir), '--cfg-options', *options],
        env=dict(tool_env, OMP_NUM_THREADS='1'), capture_output=True,
        text=True, timeout=300)


def test_train_cli_shortens_the_run_and_its_schedule(repo_root, tool_env,
                                                     tmp_path):
    work_dir = tmp_path / 'work'
    result = train(repo_root, tool_env, work_dir, 'max_epochs=2')
    assert result.returncode == 0, result.stderr[-3000:]
    assert (work_dir / 'epoch_2.pth').exists()
    assert not (work_dir / 'epoch_3.pth').exists()
    scalars = next(work_dir.glob('*/vis_data/scalars.json'))
    lrs = [json.loads(line)['lr']
           for line in scalars.read_text().splitlines()]
    assert len(lrs) == 16
    assert max(lrs) == pytest.approx(1e-3, rel=0.05)  # warm-up reached
    assert lrs[-1] < 6e-5  # the cosine ends with the run (eta_min 1e-5)


def test_train_cli_refuses_invalid_values_naming_config_and_key(
        repo_root, tool_env, tmp_path):
    result = train(repo_root, tool_env, tmp_path / 'work', 'max_epochs=0',
                   'train_cfg.max_epoch=3', 'train_dataloader.batchsize=4')
    assert result.returncode == 1
    assert 'toy_demo_schedule.py:' in result.stderr
    for problem in [
            'train_cfg.max_epochs: must be a positive integer, got 0',
            "train_cfg.max_epoch: EpochBasedTrainLoop has no argument "
            "'max_epoch' (did you mean 'max_epochs'?)",
            "train_dataloader.batchsize: DataLoader has no argument "
            "'batchsize' (did you mean 'batch_size'"]:
        assert problem in result.stderr
    assert 'Traceback' not in result.stderr
    assert not (tmp_path / 'work' / 'epoch_1.pth').exists()
