"""check_config on what mmengine would build without a ``type`` (loops
from ``by_epoch``, dataloaders) and on values that must be positive
integers: each problem is named with the config file and the entry's path,
where mmengine raises a bare ``TypeError`` or trains nothing."""

import pytest

from smaug.config import ConfigError, check_config

from toy_runs import TOY_CONFIG, toy_cfg


def problems(tmp_path, **overrides):
    """The problems check_config finds in the toy config with
    ``overrides`` (dotted keys, as ``--cfg-options`` gives them)."""
    cfg = toy_cfg(tmp_path)
    cfg.merge_from_dict(overrides)
    with pytest.raises(ConfigError) as error:
        check_config(cfg)
    message = str(error.value)
    assert message.startswith(f'{TOY_CONFIG}:')
    return message


def test_untyped_train_loop_is_checked_as_the_loop_by_epoch_gives(tmp_path):
    message = problems(tmp_path, **{'train_cfg.max_iters': 5,
                                    'train_cfg.max_epoch': 3})
    assert ("train_cfg.max_iters: EpochBasedTrainLoop has no argument "
            "'max_iters'") in message
    assert ("train_cfg.max_epoch: EpochBasedTrainLoop has no argument "
            "'max_epoch' (did you mean 'max_epochs'?)") in message
    message = problems(tmp_path, **{'train_cfg.by_epoch': False})
    assert ("train_cfg.max_epochs: IterBasedTrainLoop has no argument "
            "'max_epochs' (did you mean 'max_iters'?)") in message


def test_untyped_train_loop_needs_by_epoch(tmp_path):
    cfg = toy_cfg(tmp_path)
    cfg.train_cfg = dict(max_epochs=2)
    with pytest.raises(ConfigError, match='train_cfg: give a type, or '
                       r'by_epoch=True \(with max_epochs\)'):
        check_config(cfg)


def test_untyped_val_loop_is_checked_as_val_loop(tmp_path):
    message = problems(tmp_path, val_cfg=dict(fp61=True))
    assert ("val_cfg.fp61: ValLoop has no argument 'fp61' (did you mean "
            "'fp16'?)") in message


def test_dataloader_arguments_are_those_of_torch_dataloader(tmp_path):
    message = problems(tmp_path, **{'train_dataloader.batchsize': 4,
                                    'train_dataloader.num_worker': 0})
    assert ("train_dataloader.batchsize: DataLoader has no argument "
            "'batchsize' (did you mean 'batch_size'") in message
    assert "train_dataloader.num_worker: DataLoader has no argument" in \
        message


def test_runner_dataloader_keys_pass(tmp_path):
    cfg = toy_cfg(tmp_path, **{'train_dataloader.total_batch_size': 2,
                               'train_dataloader.num_batch_per_epoch': 2})
    cfg.train_dataloader.pop('batch_size')
    check_config(cfg)


@pytest.mark.parametrize('key, value', [
    ('train_cfg.max_epochs', 0), ('train_cfg.max_epochs', -2),
    ('train_cfg.max_epochs', 1.5), ('train_cfg.val_interval', 0),
    ('train_dataloader.batch_size', 0), ('train_dataloader.batch_size', True),
    ('train_dataloader.dataset.pipeline',
     [dict(type='SampleClipFrames', num_frames=0)]),
])
def test_lengths_and_sizes_must_be_positive_integers(tmp_path, key, value):
    message = problems(tmp_path, **{key: value})
    if key.endswith('pipeline'):
        key, value = f'{key}[0].num_frames', 0
    assert f'{key}: must be a positive integer, got {value!r}' in message
