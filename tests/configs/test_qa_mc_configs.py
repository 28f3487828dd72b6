"""The QA and MC demo configs run end to end with the Runner on a small
synthetic corpus: QA trains two steps from a pre-training checkpoint, then
validates and tests (AnswerListHook, QAAccuracy); MC tests a checkpoint."""
import math
from pathlib import Path

import pytest
import torch
from mmengine.registry import init_default_scope

import smaug.datasets  # noqa: F401  (registers the datasets)
import smaug.engine  # noqa: F401
import smaug.evaluation  # noqa: F401
from smaug.config import load_config
from smaug.engine import SMAUGRunner
from smaug.registry import MODELS

import media_files
from tiny_smaug import tiny_model_cfg

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope='module')
def workspace(tmp_path_factory):
    """A folder with data/synthetic (a small corpus) and a randomly
    initialised tiny pre-training checkpoint."""
    root = tmp_path_factory.mktemp('qa_mc')
    corpus = media_files.make_synthetic(
        root / 'data' / 'synthetic', num_videos=12, num_frames=8, size=64,
        num_images=1)
    model_cfg = tiny_model_cfg()
    model_cfg.data_preprocessor.tokenizer = str(corpus / 'vocab.txt')
    init_default_scope('smaug')
    torch.manual_seed(0)
    model = MODELS.build(model_cfg)
    model.init_weights()
    torch.save({'state_dict': model.state_dict()}, root / 'pretrain.pth')
    return root


def small_runner(config, work_dir, checkpoint, **loaders):
    """A Runner of ``config`` with two batches per split (``loaders``:
    dataloader name -> batch size), no workers, a local visualiser only."""
    cfg = load_config(str(REPO_ROOT / config))
    cfg.work_dir = str(work_dir)
    cfg.load_from = str(checkpoint)
    cfg.visualizer.vis_backends = [dict(type='LocalVisBackend')]
    for name in loaders:
        cfg[name].update(num_workers=0, persistent_workers=False,
                         batch_size=loaders[name])
        cfg[name].dataset.indices = 2 * loaders[name]
    return SMAUGRunner.from_cfg(cfg)


def test_qa_demo_trains_validates_and_tests(workspace, monkeypatch):
    monkeypatch.chdir(workspace)
    runner = small_runner('configs/demo/qa_tiny_synthetic.py',
                          workspace / 'qa', workspace / 'pretrain.pth',
                          train_dataloader=4, val_dataloader=2,
                          test_dataloader=2)
    # one epoch of 2 steps (the warm-up lasts half an epoch: one step)
    runner.train_loop._max_epochs = 1
    runner.train()
    loss = runner.message_hub.get_scalar('train/loss_qa').current()
    assert math.isfinite(loss) and loss > 0
    # the pre-training checkpoint's Q_m initialised the answer decoder
    source = torch.load(workspace / 'pretrain.pth')['state_dict']
    assert 'answer_decoder.layers.0.ffn.fc1.weight' not in source
    assert runner.model.answer_list == runner.val_dataloader.dataset.metainfo[
        'answer_list']
    metrics = runner.test()
    assert set(metrics) == {'qa/accuracy'}
    assert metrics['qa/accuracy'] in (0.0, 25.0, 50.0, 75.0, 100.0)


def test_mc_demo_tests_a_checkpoint(workspace, monkeypatch):
    monkeypatch.chdir(workspace)
    runner = small_runner('configs/demo/mc_tiny_synthetic.py',
                          workspace / 'mc', workspace / 'pretrain.pth',
                          test_dataloader=2)
    metrics = runner.test()
    assert set(metrics) == {'mc/accuracy'}
    assert metrics['mc/accuracy'] in (0.0, 25.0, 50.0, 75.0, 100.0)
    source = torch.load(workspace / 'pretrain.pth')['state_dict']
    assert torch.equal(runner.model.vtm_head.classifier.weight,
                       source['vtm_head.classifier.weight'])
