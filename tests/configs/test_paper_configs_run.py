"""Every paper config (configs/smaug_*.py: pre-training, retrieval,
zero-shot retrieval, QA, multiple choice; configs/ablations/: the paper's
ablations) trains an epoch of two steps, where
it trains (QA's warm-up lasts half an epoch: one step), and runs its test
pass: the config's own datasets, pipelines (224 px, its frame counts),
optimizer, schedule, loops, metrics and hooks, on a small synthetic corpus,
with the tiny model's widths in place of ViT-B/16 + BERT-base."""
import math
import sys
from pathlib import Path

import pytest
import torch
from mmengine.config import Config

import smaug.datasets  # noqa: F401  (registers the datasets)
import smaug.engine  # noqa: F401
import smaug.evaluation  # noqa: F401
from smaug.engine import SMAUGRunner

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT / 'tests' / 'fixtures'))
import media_files  # noqa: E402

PAPER_CONFIGS = sorted(
    str(path.relative_to(REPO_ROOT))
    for pattern in ('smaug_*.py', 'ablations/*/*.py')
    for path in (REPO_ROOT / 'configs').glob(pattern))
METRICS = {'SMAUGPretrain': 'retrieval/mean_recall',
           'SMAUGRetrieval': 'retrieval/mean_recall',
           'SMAUGQA': 'qa/accuracy',
           'SMAUGMultipleChoice': 'mc/accuracy'}


@pytest.fixture(scope='module')
def corpus(tmp_path_factory):
    """A small synthetic corpus (all splits), 64 px clips of 8 frames."""
    return media_files.make_synthetic(
        tmp_path_factory.mktemp('downstream') / 'synthetic', num_videos=12,
        num_frames=8, size=64, num_images=1)


def synthetic_annotation(dataset, split):
    """The synthetic corpus' annotation file standing in for a dataset's.

    Args:
        dataset (ConfigDict): A dataset config of a down-stream config.
        split (str): ``'train'`` or ``'test'``.
    """
    kind = dataset.get('type')  # None: an override of a retrieval gallery
    if kind == 'VideoQADataset':
        return f'annotations/qa_{split}.json'
    if kind == 'VideoMCDataset':
        return 'annotations/mc_test.json'
    if kind == 'VideoTextPretrainDataset':
        medium = 'image' if 'image' in dataset.data_prefix else 'video'
        return f'annotations/pretrain_{medium}.json'
    paragraph = '_paragraph' if dataset.get('paragraph') else ''
    return f'annotations/ret{paragraph}_{split}.json'


def tiny_model(model, vocab):
    """The tiny model's widths with ``model``'s type and switches.

    Args:
        model (ConfigDict): The down-stream config's model.
        vocab (Path): The corpus' ``vocab.txt``.
    """
    base = 'smaug_qa_tiny.py' if model.type == 'SMAUGQA' else 'smaug_tiny.py'
    tiny = Config.fromfile(
        str(REPO_ROOT / 'configs' / '_base_' / 'models' / base)).model
    tiny.type = model.type
    for key in ('mlm_head', 'mvm_head', 'temporal_encoder', 'frame_selector'):
        if key in tiny and not model.get(key):
            tiny[key] = None
    for key in ('num_selected_frames', 'num_test_selected_frames'):
        tiny[key] = model.get(key)
    if tiny.temporal_encoder:
        tiny.temporal_encoder.num_frames = model.temporal_encoder.num_frames
    if tiny.get('mvm_head'):
        tiny.mvm_head.update(img_size=224, patch_size=16)
    tiny.backbone.update(img_size=224, patch_size=16,
                         mask_ratio=model.backbone.mask_ratio,
                         keep_rate=model.backbone.keep_rate)
    tiny.data_preprocessor.update(
        tokenizer=str(vocab),
        max_text_len=model.data_preprocessor.max_text_len)
    return tiny


def small_runner(config, corpus, work_dir):
    """A Runner of ``config`` on ``corpus``: batches of 2, two training
    batches, one test batch, no workers, no validation during training, no
    load_from."""
    cfg = Config.fromfile(str(REPO_ROOT / config))
    cfg.model = tiny_model(cfg.model, corpus / 'vocab.txt')
    cfg.work_dir = str(work_dir)
    cfg.load_from = None
    cfg.visualizer.vis_backends = [dict(type='LocalVisBackend')]
    for name in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        if not cfg.get(name):
            continue
        loader = cfg[name]
        loader.pop('total_batch_size', None)
        loader.update(batch_size=2, num_workers=0, persistent_workers=False)
        split = 'train' if name == 'train_dataloader' else 'test'
        for dataset in loader.dataset.get('datasets', [loader.dataset]):
            medium = next(iter(dataset.get('data_prefix', dict(video=''))))
            dataset.update(data_root=str(corpus), data_prefix={medium: ''},
                           ann_file=synthetic_annotation(dataset, split),
                           indices=4 if split == 'train' else 2)
            if 'answer_list_file' in dataset:
                dataset.answer_list_file = 'annotations/qa_answer_list.json'
    for gallery in cfg.get('val_cfg', {}).get('extra_galleries', {}).values():
        gallery.dataset.update(
            data_root=str(corpus),
            ann_file=synthetic_annotation(gallery.dataset, 'test'))
    if cfg.get('train_cfg'):
        cfg.train_cfg.update(max_epochs=1, val_interval=100)
    return SMAUGRunner.from_cfg(cfg)


@pytest.mark.parametrize('config', PAPER_CONFIGS)
def test_paper_config_trains_and_tests(config, corpus, tmp_path,
                                      monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = small_runner(config, corpus, tmp_path / 'work_dir')
    if runner.cfg.get('train_dataloader'):
        before = [p.detach().clone() for p in runner.model.parameters()]
        runner.train()
        losses = {key: buffer.current() for key, buffer in
                  runner.message_hub.log_scalars.items()
                  if key.startswith('train/loss')}
        assert losses and all(math.isfinite(v) for v in losses.values())
        changed = sum(not torch.equal(old, new.detach()) for old, new in
                      zip(before, runner.model.parameters()))
        assert changed > 0
    metrics = runner.test()
    metric = METRICS[type(runner.model).__name__]
    assert 0. <= metrics[metric] <= 100.
