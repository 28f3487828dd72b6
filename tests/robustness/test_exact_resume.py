"""Exact resume: a demo run killed with SIGKILL mid-epoch and restarted with
--resume trains exactly like an uninterrupted run (same data, same random
numbers, same losses, same final weights)."""
from killed_runs import (assert_same_checkpoint, read_steps, resume,
                         run_whole_and_killed)
from resume_demo import KILL_AFTER, LAST_ITER, write_demo_config


def largest_loss_difference(steps, reference):
    """Largest absolute difference of any logged loss term."""
    return max(abs(step['losses'][key] - ref['losses'][key])
               for step, ref in zip(steps, reference)
               for key in ref['losses'])


def test_sigkill_mid_epoch_then_resume_is_exact(synthetic_workspace,
                                                train_tool, repo_root,
                                                tmp_path):
    config = write_demo_config(tmp_path / 'resume_demo.py', repo_root)
    whole, killed = tmp_path / 'uninterrupted', tmp_path / 'killed'
    killed_run = (synthetic_workspace, killed, 'killed.log', ())
    run_whole_and_killed(
        train_tool, config,
        (synthetic_workspace, whole, 'uninterrupted.log', ()), killed_run,
        KILL_AFTER)
    assert (killed / 'last_checkpoint').read_text() == str(
        killed / 'iter_2.pth')
    assert len(read_steps(killed)) == KILL_AFTER

    log = resume(train_tool, config, killed_run, 'resumed.log')
    assert 'resuming epoch 1 after its first 2 batches' in log

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
    assert_same_checkpoint(killed / f'iter_{LAST_ITER}.pth',
                           whole / f'iter_{LAST_ITER}.pth')
