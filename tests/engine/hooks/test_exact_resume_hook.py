"""ExactResumeHook: the data position stored in checkpoints and how a
resume uses it (mid-epoch skip, epoch end, other world size, a sampler that
cannot skip, load_from). The whole kill-and-resume story is
tests/robustness/test_exact_resume.py."""
from types import SimpleNamespace

import torch
from mmengine.runner import EpochBasedTrainLoop

from smaug.engine import ExactResumeHook


class SkippingSampler:
    """Records what it was asked to skip."""

    def __init__(self):
        self.skipped = None

    def skip_batches(self, num_batches):
        self.skipped = num_batches


def fake_runner(batch_sampler, resume=True, world_size=1, epoch=1):
    """What the hook reads of a runner."""
    warnings = []
    loader = SimpleNamespace(batch_sampler=batch_sampler, dataset=[])
    return SimpleNamespace(
        _resume=resume, world_size=world_size, epoch=epoch, iter=6, seed=3,
        rank=0, train_loop=EpochBasedTrainLoop.__new__(EpochBasedTrainLoop),
        train_dataloader=loader,
        logger=SimpleNamespace(warning=warnings.append, info=lambda _: None),
        warnings=warnings)


def saved_position(batches, epoch=1, meta_epoch=1):
    """A checkpoint written after ``batches`` batches of ``epoch``."""
    hook = ExactResumeHook()
    hook.before_train_epoch(fake_runner(None, epoch=epoch))
    for _ in range(batches):
        hook.after_train_iter(None, 0)
    checkpoint = dict(meta=dict(epoch=meta_epoch))
    hook.before_save_checkpoint(fake_runner(None, epoch=epoch), checkpoint)
    return checkpoint


def test_mid_epoch_checkpoint_makes_the_sampler_skip():
    checkpoint = saved_position(2)
    assert checkpoint['meta']['data_position'] == dict(epoch=1, batches=2,
                                                       world_size=1)
    sampler = SkippingSampler()
    hook = ExactResumeHook()
    hook.after_load_checkpoint(fake_runner(sampler), checkpoint)
    assert sampler.skipped == 2
    hook.before_train_epoch(fake_runner(sampler))  # the resumed epoch
    hook.after_train_iter(None, 0)
    hook.before_save_checkpoint(fake_runner(sampler), checkpoint)
    assert checkpoint['meta']['data_position']['batches'] == 3


def test_no_skip_after_epoch_end_or_for_load_from():
    sampler = SkippingSampler()
    end_of_epoch = saved_position(4, meta_epoch=2)  # by_epoch checkpoint
    ExactResumeHook().after_load_checkpoint(fake_runner(sampler),
                                            end_of_epoch)
    ExactResumeHook().after_load_checkpoint(
        fake_runner(sampler, resume=False), saved_position(2))
    assert sampler.skipped is None


def test_unusable_positions_restart_the_epoch_with_a_warning():
    runner = fake_runner(SkippingSampler(), world_size=2)
    ExactResumeHook().after_load_checkpoint(runner, saved_position(2))
    assert 'written by 1 processes, this run has 2' in runner.warnings[0]
    runner = fake_runner(torch.utils.data.BatchSampler(range(8), 2, False))
    ExactResumeHook().after_load_checkpoint(runner, saved_position(2))
    assert 'BatchSampler cannot skip batches' in runner.warnings[0]
    runner = fake_runner(SkippingSampler())
    ExactResumeHook().after_load_checkpoint(runner, dict(meta=dict(epoch=1)))
    assert 'no data position' in runner.warnings[0]


def test_steps_are_seeded_by_rank_and_iteration():
    hook = ExactResumeHook()
    draws = {}
    for rank in (0, 1):
        for iteration in (5, 6):
            runner = fake_runner(None)
            runner.rank, runner.iter = rank, iteration
            hook.before_train_iter(runner, 0)
            draws[rank, iteration] = torch.rand(4)
    hook.before_train_iter(fake_runner(None), 0)  # rank 0, iteration 6
    assert torch.equal(torch.rand(4), draws[0, 6])
    assert len({tuple(d.tolist()) for d in draws.values()}) == 4
