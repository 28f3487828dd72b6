"""tools/analysis/table7_study.py: its corpus split, its cost ledger, and a
real run of every stage at the --quick size (artefacts and their
consistency, not the outcome)."""
import json
import subprocess
import sys
from collections import Counter

import pytest
import torch

from media_files import make_synthetic
from tool_scripts import load_tool

STUDY = load_tool('analysis/table7_study.py')
# the study's own modules (loading them again would register the hook and
# the metric twice)
DATA = sys.modules[STUDY.CorpusSize.__module__]
LEDGER = sys.modules[STUDY.ComputeLedgerHook.__module__]
REPORT = sys.modules[STUDY.write_report.__module__]


def test_split_parts_share_no_clip_or_image(tmp_path):
    corpus = make_synthetic(tmp_path / 'corpus', num_videos=40,
                            num_images=6)
    size = DATA.CorpusSize(num_videos=40, num_images=6, stage0_clips=10,
                           stage1_clips=12, test_clips=5, stage0_images=2)
    parts = DATA.split_corpus(str(corpus), size)
    media = {name: {entry.get('video', entry.get('image'))
                    for entry in entries} for name, entries in parts.items()}
    assert [len(media[name]) for name in (
        'stage0_video', 'stage1_video', 'finetune', 'test', 'val',
        'stage0_image', 'stage1_image')] == [10, 12, 10, 5, 3, 2, 4]
    names = sorted(media)
    for index, name in enumerate(names):
        for other in names[index + 1:]:
            assert not media[name] & media[other], (name, other)
    captions = Counter(entry['video'] for entry in parts['finetune'])
    assert min(captions.values()) > 1  # every caption of a clip, one each
    with pytest.raises(ValueError, match='cannot be cut'):
        DATA.split_corpus(str(corpus), DATA.CorpusSize(
            num_videos=40, num_images=6, stage0_clips=30, stage1_clips=2,
            test_clips=5, stage0_images=2))


class FakeClocks:
    """Stands in for process_tree_cpu and time.perf_counter: one clock that
    a test moves by hand."""

    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


class FakeRunner:
    """A runner whose validation takes 100 s of every clock, with a model
    holding a ViT-like module (its ``mask_ratio``)."""

    def __init__(self, hook, clock):
        self.iter, self.hook, self.clock = 0, hook, clock
        self.val_loop = self
        self.model = torch.nn.Sequential(torch.nn.Identity())
        self.model[0].mask_ratio = 0.5

    def run(self):
        self.hook.before_val(self)
        self.clock.now += 100
        self.hook.after_val_epoch(self, {'R@1': self.iter / 10})


def test_ledger_counts_training_and_not_validation(monkeypatch):
    clock = FakeClocks()
    monkeypatch.setattr(LEDGER, 'process_tree_cpu', clock)
    monkeypatch.setattr(LEDGER.time, 'perf_counter', clock)
    hook = LEDGER.ComputeLedgerHook()
    runner = FakeRunner(hook, clock)
    hook.before_train(runner)
    for step, frames in enumerate([4, 4, 1], start=1):
        clock.now += 3
        runner.iter = step
        hook.after_train_iter(runner, step,
                              dict(inputs=[[None] * frames] * 2))
        if step == 2:
            runner.val_loop.run()
    runner.val_loop.run()
    hook.after_train(runner)
    assert [(p['step'], p['cpu_seconds'], p['wall_seconds'],
             p['metrics']['R@1']) for p in hook.points] == [
                 (0, 0, 0, 0.0), (2, 6, 6, 0.2), (3, 9, 9, 0.3)]
    assert hook.clocks.cpu == 9 and hook.batches == {4: 2, 1: 1}
    assert hook.constant_cost
    runner.model[0].mask_ratio = 0.  # a hook unmasks the last steps
    hook.after_train_iter(runner, 4, dict(inputs=[[None] * 4]))
    assert not hook.constant_cost


def test_total_flops_weighs_steps_by_frame_count():
    result = dict(batches={'4': 3, '1': 2}, flops={'4': 100, '1': 10})
    assert REPORT.total_flops(result) == 320


def run_quick_study(repo_root, tool_env, work_dir, seeds):
    """Run ``table7_study.py --quick`` as a user does; its output."""
    result = subprocess.run(
        [sys.executable, str(repo_root / 'tools' / 'analysis' /
                             'table7_study.py'), '--quick', '--work-dir',
         str(work_dir), '--seeds', *map(str, seeds)],
        cwd=repo_root, env=tool_env, capture_output=True, text=True,
        timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def test_quick_study_runs_every_stage(repo_root, tool_env, tmp_path):
    work_dir = tmp_path / 'study'
    run_quick_study(repo_root, tool_env, work_dir, [0])
    first = (work_dir / 'runs' / 'seed0' / 'dense.json').stat().st_mtime
    # a second run keeps the finished runs and adds the new seed's
    output = run_quick_study(repo_root, tool_env, work_dir, [0, 1])
    assert (work_dir / 'runs' / 'seed0' / 'dense.json').stat().st_mtime \
        == first
    results = json.loads((work_dir / 'results.json').read_text())
    runs = {(run['arm'], run['seed']): run for run in results['runs']}
    assert set(runs) == {(arm, seed) for seed in (0, 1) for arm in (
        'dense', 'smaug', 'smaug_equal_compute')}
    size = STUDY.QUICK
    for seed in (0, 1):
        dense, smaug, equal = (runs[arm, seed] for arm in (
            'dense', 'smaug', 'smaug_equal_compute'))
        ratio = dense['pretrain']['cpu_seconds'] / \
            smaug['pretrain']['cpu_seconds']
        assert equal['steps'] == max(1, round(size.steps * ratio))
        for run in (dense, smaug, equal):
            curve = run['pretrain']['curve']
            assert [point['step'] for point in curve][0] == 0
            assert curve[-1]['step'] == run['steps']
            assert sum(run['pretrain']['batches'].values()) == run['steps']
            for stage in ('pretrain', 'finetune'):
                assert len(run[stage]['ranks']) == len(
                    run[stage]['query_video']) > 0
        # the SMAUG step costs fewer FLOPs than the dense one
        assert smaug['pretrain']['flops']['4'] < dense['pretrain']['flops'][
            '4']
    assert (work_dir / 'stage0' / 'export' / 'bert' /
            'model.safetensors').is_file()
    table = (work_dir / 'table.md').read_text()
    assert table in output and '(2 seeds)' in table
    assert table.count('| dense - SMAUG') == 4
    assert (work_dir / 'curves.png').read_bytes()[:4] == b'\x89PNG'
