"""Robustness suite, bad input: each case gets a clear error (or a clear
warning where carrying on is right) naming the culprit.

The scenario tests live beside it in tests/robustness/: exact resume after
SIGKILL (test_exact_resume.py), a crash during a checkpoint save
(test_checkpoint_crash.py), 2 processes vs 1 (test_distributed_equivalence
.py) and non-finite losses (test_numerical_faults.py).
"""
import errno
import json
import os
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest
import torch
from mmengine.fileio.backends import LocalBackend
from mmengine.registry import init_default_scope

import smaug.datasets  # noqa: F401  (registers the datasets)
import smaug.engine  # noqa: F401
import smaug.evaluation  # noqa: F401
import smaug.models  # noqa: F401
from smaug.datasets import AnnotationError
from smaug.datasets.transforms import clean_text
from smaug.checkpoints.checkpoint_loading import load_local_checkpoint
from smaug.config import ConfigError, check_config, load_config
from smaug.engine import SMAUGRunner
from smaug.registry import DATASETS, MODELS

from tool_scripts import load_tool
import media_files
from toy_runs import run_logs, toy_cfg

REPO_ROOT = Path(__file__).resolve().parents[1]

DEMO = REPO_ROOT / 'configs' / 'demo' / 'smaug_tiny_synthetic.py'
# The training pipelines of the demo (configs/_base_/datasets/
# synthetic_pretrain.py).
VIDEO_PIPELINE = [dict(type='VideoTrainPipeline', num_frames=4, img_size=64,
                       style='synthetic')]
IMAGE_PIPELINE = [dict(type='ImageTrainPipeline', img_size=64,
                       style='synthetic')]


# ----------------------------------------------------------------------------
# Configs
# ----------------------------------------------------------------------------
def demo_cfg(tmp_path, **overrides):
    """The demo config with overrides, as a user's edited copy."""
    cfg = load_config(DEMO, overrides)
    cfg.work_dir = str(tmp_path)
    return cfg


def test_unknown_type_is_named_with_its_place(tmp_path):
    cfg = demo_cfg(tmp_path, **{'model.type': 'SMAUGPretrian'})
    with pytest.raises(ConfigError) as error:
        SMAUGRunner.from_cfg(cfg)
    message = str(error.value)
    assert str(DEMO) in message
    assert "model.type: 'SMAUGPretrian' is not a registered model" in message
    assert "did you mean 'SMAUGPretrain'" in message
    # mmengine alone names the type too, but not where it is
    init_default_scope('smaug')
    with pytest.raises(KeyError, match='SMAUGPretrian is not in the'):
        MODELS.build(cfg.model)


def test_unknown_argument_is_named_with_its_place(tmp_path):
    cfg = demo_cfg(tmp_path, **{'model.backbone.mask_ration': 0.75})
    with pytest.raises(ConfigError) as error:
        SMAUGRunner.from_cfg(cfg)
    assert ("model.backbone.mask_ration: SparseMAEViT has no argument "
            "'mask_ration' (did you mean 'mask_ratio'?)") in str(error.value)
    # mmengine names class and argument, but not the config path
    init_default_scope('smaug')
    with pytest.raises(TypeError, match="SparseMAEViT.*'mask_ration'"):
        MODELS.build(cfg.model)


def test_unknown_pipeline_argument_and_misspelt_key(tmp_path):
    cfg = demo_cfg(tmp_path)
    cfg.train_dataloader.dataset.datasets[1].pipeline[0].sizes = 64
    cfg.train_dataloder = dict(batch_size=4)
    with pytest.raises(ConfigError) as error:
        check_config(cfg)
    message = str(error.value)
    assert ("train_dataloader.dataset.datasets[1].pipeline[0].sizes: "
            "ImageTrainPipeline has no argument 'sizes' (did you mean "
            "'img_size'?)") in message
    assert ("train_dataloder: not a config key the Runner reads (did you "
            "mean 'train_dataloader'?)") in message


def test_every_config_passes_the_check():
    configs = sorted(path for path in (REPO_ROOT / 'configs').rglob('*.py')
                     if '_base_' not in path.parts)
    for path in configs:
        check_config(load_config(path))
    assert len(configs) >= 30


# ----------------------------------------------------------------------------
# Checkpoints and the work_dir
# ----------------------------------------------------------------------------
@pytest.fixture
def other_model_checkpoint(tmp_path):
    """A checkpoint whose keys do not fit ToyRegressor (linear: 1 -> 1)."""
    path = tmp_path / 'other_model.pth'
    torch.save({'state_dict': {'linear.weight': torch.ones(2, 1),
                               'head.weight': torch.ones(3)}}, path)
    return str(path)


def test_wrong_model_checkpoint_is_reported(tmp_path, other_model_checkpoint):
    runner = SMAUGRunner.from_cfg(toy_cfg(tmp_path / 'train'))
    warnings = []
    runner.logger.warning = warnings.append
    before = runner.model.linear.weight.detach().clone()
    runner.load_checkpoint(other_model_checkpoint)  # load_from: a warning
    assert torch.equal(runner.model.linear.weight, before)
    report = warnings[0]
    assert f'Checkpoint {other_model_checkpoint} does not match ' \
        'ToyRegressor' in report
    assert '1 missing keys (keep their initial values): linear.bias' in report
    assert ('linear.weight (2, 1) in the checkpoint vs (1, 1) in the model'
            in report)
    assert '1 unexpected keys (ignored): head.weight' in report

    strict = SMAUGRunner.from_cfg(
        toy_cfg(tmp_path / 'test', require_all_weights=True))
    with pytest.raises(RuntimeError, match='Refusing a checkpoint'):
        strict.load_checkpoint(other_model_checkpoint)


@pytest.mark.parametrize('options,required', [([], True),
                                              (['--allow-partial'], False)])
def test_test_tool_requires_all_weights(options, required, monkeypatch,
                                        tmp_path):
    tool = load_tool('test.py')
    built = []

    def capture(cfg):
        built.append(cfg)
        raise SystemExit(0)

    monkeypatch.setattr(tool.RUNNERS, 'build', capture)
    monkeypatch.setattr(sys, 'argv', [
        'test.py', str(DEMO), 'ckpt.pth', '--work-dir', str(tmp_path),
        *options
    ])
    with pytest.raises(SystemExit):
        tool.main()
    assert built[0].require_all_weights is required


@pytest.fixture(params=['missing', 'existing'])
def read_only_work_dir(request, tmp_path):
    """A work_dir that cannot be created (missing) or written (existing):
    on a read-only file system (/sys) for root, by permissions otherwise."""
    if os.geteuid() == 0:
        yield ('/sys/smaug_work' if request.param == 'missing' else
               '/sys/kernel')
        return
    tmp_path.chmod(0o555)
    yield str(tmp_path / 'work' if request.param == 'missing' else tmp_path)
    tmp_path.chmod(0o755)


def test_read_only_work_dir_fails_at_start_up(read_only_work_dir):
    with pytest.raises(PermissionError) as error:
        SMAUGRunner.from_cfg(toy_cfg(read_only_work_dir))
    assert f'work_dir {read_only_work_dir} is not writable' in str(
        error.value)


def test_full_disk_during_save_keeps_previous_checkpoint(tmp_path,
                                                         monkeypatch):
    original = LocalBackend.put

    def put(backend, obj, filepath):
        if str(filepath).endswith('.epoch_2.pth.partial'):
            Path(filepath).write_bytes(obj[:len(obj) // 2])
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return original(backend, obj, filepath)

    monkeypatch.setattr(LocalBackend, 'put', put)
    runner = SMAUGRunner.from_cfg(
        toy_cfg(tmp_path, max_epochs=3,
                **{'default_hooks.checkpoint.max_keep_ckpts': 1}))
    with pytest.raises(RuntimeError) as error:
        runner.train()
    assert (f'Could not write checkpoint {tmp_path}/epoch_2.pth (the disk '
            'is full). Earlier checkpoints') in str(error.value)
    latest = (tmp_path / 'last_checkpoint').read_text()
    assert latest == str(tmp_path / 'epoch_1.pth')
    assert load_local_checkpoint(latest)['meta']['epoch'] == 1
    assert not list(tmp_path.glob('.*.partial'))


def test_resume_without_checkpoint_says_so(tmp_path):
    runner = SMAUGRunner.from_cfg(toy_cfg(tmp_path, resume=True))
    runner.train()
    text, _ = run_logs(tmp_path)
    assert (f'--resume was given but {tmp_path} holds no checkpoint (no '
            'last_checkpoint file): training starts from scratch.') in text
    assert (tmp_path / 'epoch_1.pth').exists()


def test_resume_from_vanished_checkpoint_names_it(tmp_path):
    (tmp_path / 'last_checkpoint').write_text(str(tmp_path / 'epoch_5.pth'))
    runner = SMAUGRunner.from_cfg(toy_cfg(tmp_path, resume=True))
    with pytest.raises(FileNotFoundError, match='last_checkpoint names .*'
                       'epoch_5.pth.*which does not exist'):
        runner.train()
    missing = str(tmp_path / 'nowhere.pth')
    runner = SMAUGRunner.from_cfg(
        toy_cfg(tmp_path / 'explicit', resume=True, load_from=missing))
    with pytest.raises(FileNotFoundError, match=f'{missing} does not exist'):
        runner.train()


# ----------------------------------------------------------------------------
# Media: wrong kind, odd frames
# ----------------------------------------------------------------------------
def write_corpus(root, entries):
    """An annotation file of ``entries`` under ``root``."""
    path = Path(root) / 'ann.json'
    path.write_text(json.dumps(entries))
    return str(path)


def pretrain_dataset(root, entries, pipeline, test_mode=False):
    """A VideoTextPretrainDataset over ``entries``."""
    return DATASETS.build(dict(
        type='VideoTextPretrainDataset', data_root=str(root),
        ann_file=write_corpus(root, entries), pipeline=pipeline,
        test_mode=test_mode))


@pytest.mark.parametrize('key,name,hint', [
    ('video', 'img.jpg', 'it is an image: annotate it with "image", not '
     '"video"'),
    ('image', 'vid.mp4', 'it is a video: annotate it with "video", not '
     '"image"'),
])
def test_wrong_media_kind_is_named(key, name, hint, tmp_path, monkeypatch):
    media_files.write_image(tmp_path / 'img.jpg')
    media_files.write_video(tmp_path / 'vid.mp4', num_frames=8)
    good = {key: 'vid.mp4' if key == 'video' else 'img.jpg',
            'caption': 'a good one'}
    entries = [{key: name, 'caption': 'a bad one'}, good]
    pipeline = VIDEO_PIPELINE if key == 'video' else IMAGE_PIPELINE
    logged = []
    monkeypatch.setattr('smaug.datasets.base_video_text_dataset.print_log',
                        lambda message, **kwargs: logged.append(message))
    training = pretrain_dataset(tmp_path, entries, pipeline)
    sample = training[0]  # skipped, replaced by the good entry
    assert sample['data_samples'].text == 'a good one'
    assert f'{tmp_path / name}' in logged[0] and hint in logged[0]
    testing = pretrain_dataset(tmp_path, entries, pipeline, test_mode=True)
    with pytest.raises(RuntimeError, match=hint):
        testing[0]


def odd_images(folder):
    """Grayscale, 4-channel (RGBA), 16-bit, tiny (3x5, below the 8-pixel
    patch) and huge (4000x3000) images."""
    images = dict(
        gray=np.full((30, 40), 77, np.uint8),
        rgba=np.full((30, 40, 4), 99, np.uint8),
        deep=np.full((30, 40, 3), 40000, np.uint16),
        tiny=np.full((3, 5, 3), 200, np.uint8),
        huge=np.random.default_rng(0).integers(0, 255, (3000, 4000, 3),
                                               dtype=np.uint8))
    for name, pixels in images.items():
        cv2.imwrite(str(folder / f'{name}.png'), pixels)
    return sorted(f'{name}.png' for name in images)


def test_odd_frames_become_model_sized_clips(tmp_path):
    names = odd_images(tmp_path)
    images = pretrain_dataset(
        tmp_path, [{'image': name, 'caption': name} for name in names],
        IMAGE_PIPELINE)
    for index in range(len(names)):
        clip = images[index]['inputs']
        assert clip.shape == (1, 3, 64, 64) and clip.dtype == torch.uint8
    # decord cannot decode 4-pixel-wide frames: PyAV takes over
    media_files.write_video(tmp_path / 'tiny.mp4', num_frames=8, size=4)
    media_files.write_video(tmp_path / 'huge.mp4', num_frames=8, size=720)
    videos = pretrain_dataset(
        tmp_path, [{'video': 'tiny.mp4', 'caption': 'tiny'},
                   {'video': 'huge.mp4', 'caption': 'huge'}],
        VIDEO_PIPELINE, test_mode=True)
    for index in range(2):
        assert videos[index]['inputs'].shape == (4, 3, 64, 64)


@pytest.mark.parametrize('size', [(4, 4), (60, 64)])
def test_frames_that_do_not_fit_the_patches_are_named(size):
    init_default_scope('smaug')
    backbone = MODELS.build(dict(
        type='SparseMAEViT', arch=dict(embed_dims=32, num_layers=1,
                                       num_heads=2, feedforward_channels=64),
        img_size=64, patch_size=8, sparse_layers=(1, )))
    with pytest.raises(ValueError, match=f'frame size {size[0]}x{size[1]} '
                       'is not a multiple of patch_size 8'):
        backbone(torch.zeros(1, 1, 3, *size))


# ----------------------------------------------------------------------------
# Captions and answers
# ----------------------------------------------------------------------------
@pytest.mark.parametrize('caption', ['', '   ', ['ok', '']])
def test_empty_caption_fails_at_start_up(caption, tmp_path):
    with pytest.raises(AnnotationError, match=r'ann.json: entry 1: key '
                       r"'caption'(\[1\])? is empty"):
        pretrain_dataset(tmp_path, [{'video': 'a.mp4', 'caption': 'fine'},
                                    {'video': 'b.mp4', 'caption': caption}],
                         VIDEO_PIPELINE)


def test_long_and_non_ascii_captions_tokenize(tmp_path):
    vocab = tmp_path / 'vocab.txt'
    vocab.write_text('[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\na\nred\ncircle\n')
    preprocessor = MODELS.build(dict(type='VideoTextDataPreprocessor',
                                     tokenizer=str(vocab), max_text_len=8))
    captions = [clean_text(text) for text in (
        'a red circle ' * 50, 'Ünïcödé café — 猫が走る', '!!! ...')]
    assert captions[2] == ''  # punctuation only: nothing left to say
    text = preprocessor.tokenize(captions)
    ids = text['input_ids']
    assert ids.shape == (3, 8)  # truncated to max_text_len
    tokenizer = preprocessor.tokenizer
    assert ids[0, -1] == tokenizer.sep_token_id  # still ends with [SEP]
    assert tokenizer.unk_token_id in ids[1].tolist()
    assert text['attention_mask'][2].sum() == 2  # [CLS] [SEP]


def test_answer_outside_answer_list_is_counted_and_named(tmp_path,
                                                         monkeypatch):
    (tmp_path / 'answers.json').write_text(json.dumps(['red', 'blue']))
    entries = [{'video': 'a.mp4', 'question': 'what color', 'answer': 'red',
                'question_id': 0},
               {'video': 'b.mp4', 'question': 'what color',
                'answer': 'magenta', 'question_id': 1}]
    logged = []
    monkeypatch.setattr('smaug.datasets.qa_dataset.print_log',
                        lambda message, **kwargs: logged.append(message))
    dataset = DATASETS.build(dict(
        type='VideoQADataset', data_root=str(tmp_path),
        ann_file=write_corpus(tmp_path, entries),
        answer_list_file='answers.json'))
    assert len(dataset) == 2  # kept: it still trains the decoder
    assert ('1 of 2 answers are not in the answer list answers.json '
            "(entry 1: 'magenta')") in logged[0]
