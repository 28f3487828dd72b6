"""Exact resume: a demo run killed with SIGKILL mid-epoch and restarted with
--resume trains exactly like an uninterrupted run (same data, same random
numbers, same losses, same final weights)."""
import signal

import torch
from resume_demo import CONFIG, KILL_AFTER, LAST_ITER, read_steps

from smaug.engine.checkpoint_loading import load_local_checkpoint

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
