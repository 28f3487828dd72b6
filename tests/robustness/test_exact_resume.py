"""Exact resume: a demo run killed with SIGKILL mid-epoch and restarted with
--resume trains exactly like an uninterrupted run (same data, same random
numbers, same losses, same final weights)."""
import json
import signal

import torch

from smaug.engine.checkpoint_loading import load_local_checkpoint

# The demo config, shrunk: batches of 4 from 10 clips and 8 images give 2 +
# 2 batches per epoch (4 iterations), 2 dataloader workers (persistent),
# a checkpoint every 2 iterations keeping only the last. The run is killed
# right after iteration 3 (epoch 1, batch 3 of 4), so it resumes from
# iter_2.pth, mid-epoch (epoch 1 after 2 batches), redoes iteration 3 and
# goes on into epoch 2.
CONFIG = """
_base_ = [{demo!r}]
custom_imports = dict(imports=['run_recorder'], allow_failed_imports=False)
custom_hooks = [dict(type='StepRecorderHook')]
train_dataloader = dict(batch_size=4, num_workers=2, persistent_workers=True)
train_cfg = dict(max_epochs=2, val_interval=100)
val_cfg = None
val_dataloader = None
val_evaluator = None
default_hooks = dict(
    logger=dict(interval=1),
    checkpoint=dict(interval=2, by_epoch=False, max_keep_ckpts=1,
                    save_best=None))
log_processor = dict(window_size=1)
"""
KILL_AFTER = 3
LAST_ITER = 8


def read_steps(work_dir):
    """The StepRecorderHook records of a work_dir, in order."""
    lines = (work_dir / 'steps.jsonl').read_text().splitlines()
    return [json.loads(line) for line in lines]


def largest_loss_difference(steps, reference):
    """Largest absolute difference of any logged loss term."""
    return max(abs(step['losses'][key] - ref['losses'][key])
               for step, ref in zip(steps, reference)
               for key in ref['losses'])


def test_sigkill_mid_epoch_then_resume_is_exact(synthetic_workspace,
                                                train_tool, repo_root,
                                                tmp_path):
    config = tmp_path / 'resume_demo.py'
    config.write_text(CONFIG.format(
        demo=str(repo_root / 'configs' / 'demo' / 'smaug_tiny_synthetic.py')))
    whole, killed = tmp_path / 'uninterrupted', tmp_path / 'killed'
    runs = [
        train_tool(synthetic_workspace, config, '--work-dir', str(whole),
                   log='uninterrupted.log'),
        train_tool(synthetic_workspace, config, '--work-dir', str(killed),
                   log='killed.log',
                   extra_env=dict(SMAUG_TEST_SIGKILL_AFTER_ITER=str(
                       KILL_AFTER))),
    ]
    codes = [run.wait(timeout=300) for run in runs]
    assert codes == [0, -signal.SIGKILL], (
        (synthetic_workspace / 'uninterrupted.log').read_text()[-3000:] +
        (synthetic_workspace / 'killed.log').read_text()[-3000:])
    assert (killed / 'last_checkpoint').read_text() == str(
        killed / 'iter_2.pth')
    assert len(read_steps(killed)) == KILL_AFTER

    resumed = train_tool(synthetic_workspace, config, '--work-dir',
                         str(killed), '--resume', log='resumed.log')
    log = (synthetic_workspace / 'resumed.log')
    assert resumed.wait(timeout=300) == 0, log.read_text()[-3000:]
    assert 'resuming epoch 1 after its first 2 batches' in log.read_text()

    reference = read_steps(whole)
    steps = read_steps(killed)
    assert [s['iter'] for s in steps] == list(range(1, KILL_AFTER + 1)) + \
        list(range(KILL_AFTER, LAST_ITER + 1))
    after_restart = steps[KILL_AFTER:]
    expected = reference[KILL_AFTER - 1:]
    # the same samples in the same order (data order and mid-epoch position)
    assert [s['samples'] for s in after_restart] == \
        [s['samples'] for s in expected]
    # the same losses, bit for bit (augmentation, masks, Gumbel noise, hard
    # negatives, MLM masking, optimizer and scheduler states)
    difference = largest_loss_difference(after_restart, expected)
    assert difference == 0.0, f'largest loss difference {difference}'
    final = load_local_checkpoint(str(killed / f'iter_{LAST_ITER}.pth'))
    final_ref = load_local_checkpoint(str(whole / f'iter_{LAST_ITER}.pth'))
    for key, value in final_ref['state_dict'].items():
        assert torch.equal(final['state_dict'][key], value), key
    for ref_state, state in zip(final_ref['optimizer']['state'].values(),
                                final['optimizer']['state'].values()):
        assert all(torch.equal(state[name], ref_state[name])
                   for name in ref_state)
