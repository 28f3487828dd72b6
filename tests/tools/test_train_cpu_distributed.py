"""tools/dist_train.sh on a CPU-only machine: 2 gloo processes, then resume."""
import subprocess

import torch

from smaug.checkpoints.checkpoint_loading import load_local_checkpoint

ITERS_PER_EPOCH = 16 // (2 * 2)  # 16 points, batch 2 per process, 2 processes


def run_dist_train(env, port, repo_root, work_dir, *options):
    """Run tools/dist_train.sh with 2 processes and return its output."""
    env = dict(env, PORT=str(port))
    config = repo_root / 'tests' / 'fixtures' / 'configs' / 'toy_train.py'
    result = subprocess.run(
        ['bash', str(repo_root / 'tools' / 'dist_train.sh'), str(config), '2',
         '--work-dir', str(work_dir), *options],
        env=env, capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout + result.stderr


def test_two_process_training_then_resume(tmp_path, tool_env, free_port,
                                          repo_root):
    work_dir = tmp_path / 'work'
    run_dist_train(tool_env, free_port, repo_root, work_dir)
    checkpoint = load_local_checkpoint(str(work_dir / 'epoch_2.pth'))
    assert checkpoint['meta']['epoch'] == 2
    assert checkpoint['meta']['iter'] == 2 * ITERS_PER_EPOCH
    assert not list(work_dir.glob('.*.partial'))

    output = run_dist_train(tool_env, free_port, repo_root, work_dir, '--resume',
                            '--cfg-options', 'train_cfg.max_epochs=3')
    assert 'resumed epoch: 2, iter: 8' in output
    resumed = load_local_checkpoint(str(work_dir / 'epoch_3.pth'))
    assert resumed['meta']['iter'] == 3 * ITERS_PER_EPOCH
    assert not torch.equal(resumed['state_dict']['linear.weight'],
                           checkpoint['state_dict']['linear.weight'])
