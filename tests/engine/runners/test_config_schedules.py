"""The LR schedules of configs/_base_/schedules/ follow the run's length:
at their own length they are the paper's (linear warm-up, then a cosine
reaching eta_min at the end of the run), and a run made shorter, by
``train_cfg.max_epochs`` or by the config variable ``max_epochs``, ends
its cosine with it. Each run here is the toy model's, 4 iterations an
epoch, with the LR logged at every iteration."""
import math
from pathlib import Path

import pytest

from smaug.config import ConfigError, load_config
from smaug.engine import SMAUGRunner

from toy_runs import run_logs, toy_cfg

SCHEDULES = Path(__file__).resolve().parents[3] / 'configs' / '_base_' / \
    'schedules'
ITERS_PER_EPOCH = 4  # 8 points, batch 2


def paper_lrs(lr, eta_min, epochs, warmup_epochs=0, start_factor=1.0):
    """The LR of each iteration: linear warm-up from ``lr * start_factor``
    to ``lr`` over ``warmup_epochs``, then a cosine from ``lr`` that reaches
    ``eta_min`` at the end of ``epochs``."""
    warmup = round(warmup_epochs * ITERS_PER_EPOCH)
    cosine = epochs * ITERS_PER_EPOCH - warmup
    return [
        lr * (start_factor + (1 - start_factor) * step / (warmup - 1))
        for step in range(warmup)
    ] + [
        eta_min + (lr - eta_min) * (1 + math.cos(math.pi * step / cosine)) / 2
        for step in range(cosine)
    ]


def logged_lrs(cfg):
    """Train the toy model with ``cfg``'s schedule; the LR of each
    iteration."""
    schedule = dict(optim_wrapper=cfg.optim_wrapper,
                    param_scheduler=cfg.param_scheduler,
                    train_cfg=cfg.train_cfg)
    work_dir = Path(cfg.work_dir)
    cfg = toy_cfg(work_dir, **{'train_dataloader.dataset.num_points': 8,
                               'default_hooks.checkpoint': None})
    cfg.merge_from_dict(schedule)
    SMAUGRunner.from_cfg(cfg).train()
    return [record['lr'] for record in run_logs(work_dir)[1]]


def schedule_cfg(tmp_path, name, **options):
    """A schedule file of configs/_base_/schedules/ with ``options``."""
    cfg = load_config(str(SCHEDULES / name), options)
    cfg.work_dir = str(tmp_path)
    return cfg


@pytest.mark.parametrize('name, paper', [
    ('pretrain_10e.py', dict(lr=1e-4, eta_min=1e-5, epochs=10,
                             warmup_epochs=1, start_factor=1e-3)),
    ('finetune_qa_10e.py', dict(lr=1e-5, eta_min=1e-6, epochs=10,
                                warmup_epochs=0.5, start_factor=1e-3)),
    ('finetune_ret_5e.py', dict(lr=1e-5, eta_min=1e-6, epochs=5)),
    ('finetune_ret_10e.py', dict(lr=1e-5, eta_min=1e-6, epochs=10)),
    ('synthetic_demo.py', dict(lr=1e-3, eta_min=1e-5, epochs=40,
                               warmup_epochs=1, start_factor=0.01)),
])
def test_schedules_are_the_papers_at_their_length(tmp_path, name, paper):
    lrs = logged_lrs(schedule_cfg(tmp_path, name))
    assert lrs == pytest.approx(paper_lrs(**paper), rel=1e-6)


@pytest.mark.parametrize('option', ['train_cfg.max_epochs', 'max_epochs'])
def test_the_cosine_ends_with_a_shortened_run(tmp_path, option):
    lrs = logged_lrs(schedule_cfg(tmp_path, 'pretrain_10e.py',
                                  **{option: 3}))
    assert lrs == pytest.approx(paper_lrs(
        lr=1e-4, eta_min=1e-5, epochs=3, warmup_epochs=1, start_factor=1e-3),
        rel=1e-6)


def test_a_run_within_the_warm_up_leaves_the_cosine_out(tmp_path):
    lrs = logged_lrs(schedule_cfg(tmp_path, 'synthetic_demo.py',
                                  max_epochs=1))
    assert lrs == pytest.approx(paper_lrs(
        lr=1e-3, eta_min=1e-5, epochs=1, warmup_epochs=1, start_factor=0.01),
        rel=1e-6)


def test_a_schedule_ending_after_the_run_is_refused(tmp_path):
    cfg = schedule_cfg(tmp_path, 'synthetic_demo.py',
                       **{'train_cfg.max_epochs': 2})
    cfg.param_scheduler[1].end = 40
    with pytest.raises(ConfigError, match=r'param_scheduler\[1\].end=40 '
                       r'lies past the end of the run '
                       r'\(train_cfg.max_epochs=2\)'):
        logged_lrs(cfg)
