"""Every paper config (configs/smaug_*.py: pre-training, retrieval,
zero-shot retrieval, QA, multiple choice; configs/ablations/: the paper's
ablations) trains an epoch of two steps, where
it trains (QA's warm-up lasts half an epoch: one step), and runs its test
pass: the config's own datasets, pipelines (224 px, its frame counts),
optimizer, schedule, loops, metrics and hooks, on a small synthetic corpus,
with the tiny model's widths in place of ViT-B/16 + BERT-base."""
import math
from pathlib import Path

import pytest
import torch

import smaug.datasets  # noqa: F401  (registers the datasets)
import smaug.engine  # noqa: F401
import smaug.evaluation  # noqa: F401
from smaug.config import load_config
from smaug.engine import SMAUGRunner

import media_files
import small_configs

REPO_ROOT = Path(__file__).resolve().parents[2]

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


def small_runner(config, corpus, work_dir):
    """A Runner of ``config`` on ``corpus``: batches of 2, two training
    batches, one test batch, no workers, no validation during training, no
    load_from."""
    cfg = load_config(REPO_ROOT / config)
    small_configs.shrink_config(cfg, corpus)
    cfg.work_dir = str(work_dir)
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
