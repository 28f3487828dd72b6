"""tools/dist_train.sh on a CPU-only machine: 2 gloo processes, then resume."""
import socket
import subprocess

import torch

from smaug.checkpoints.checkpoint_loading import load_local_checkpoint

from media_files import make_synthetic

ITERS_PER_EPOCH = 16 // (2 * 2)  # 16 points, batch 2 per process, 2 processes


def run_dist_train(env, port, repo_root, work_dir, *options):
    """Run tools/dist_train.sh with 2 processes and return its output."""
    env = dict(env, PORT=str(port))
    config = repo_root / 'tests' / 'fixtures' / 'configs' / 'toy_train.py'
    result = subprocess.run(
        ['bash', str(repo_root / 'tools' / 'dist_train.sh'), str(config), '2',
         '--work-dir', str(work_dir), *options],
        env=env, capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, (result.stdout[-3000:]
                                    + result.stderr[-3000:])
    return result.stdout + result.stderr


def test_two_process_training_then_resume(tmp_path, tool_env, free_port,
                                          repo_root):
    work_dir = tmp_path / 'work'
    run_dist_train(tool_env, free_port, repo_root, work_dir)
    checkpoint = load_local_checkpoint(str(work_dir / 'epoch_2.pth'))
    assert checkpoint['meta']['epoch'] == 2
    assert checkpoint['meta']['iter'] == 2 * ITERS_PER_EPOCH
    assert not list(work_dir.glob('.*.partial'))

    output = run_dist_train(tool_env, free_port, repo_root, work_dir,
                            '--resume', '--cfg-options',
                            'train_cfg.max_epochs=3')
    assert 'resumed epoch: 2, iter: 8' in output
    resumed = load_local_checkpoint(str(work_dir / 'epoch_3.pth'))
    assert resumed['meta']['iter'] == 3 * ITERS_PER_EPOCH
    assert not torch.equal(resumed['state_dict']['linear.weight'],
                           checkpoint['state_dict']['linear.weight'])


def test_a_config_error_ends_the_job_without_restarts(tmp_path, tool_env,
                                                      free_port, repo_root):
    """torchrun restarts failed processes (MAX_RESTARTS, default 3), but a
    config error would fail again: the job ends at once (a process or two
    say it, not four attempts) and the launcher's last line gives it."""
    config = repo_root / 'tests' / 'fixtures' / 'configs' / 'toy_train.py'
    result = subprocess.run(
        ['bash', str(repo_root / 'tools' / 'dist_train.sh'), str(config), '2',
         '--work-dir', str(tmp_path / 'work'), '--cfg-options',
         'train_cfg.max_epoch=2'],
        env=dict(tool_env, PORT=str(free_port)), capture_output=True,
        text=True, timeout=240)
    assert result.returncode == 1, result.stderr[-3000:]
    assert 'will restart worker group' not in result.stderr
    assert 1 <= result.stderr.count('error: ') <= 2, result.stderr[-3000:]
    assert "max_epoch" in result.stderr.splitlines()[-1]
    assert result.stderr.splitlines()[-1].startswith('dist_train.sh: ')


def test_a_missing_annotation_file_ends_the_job_without_restarts(
        tmp_path, tool_env, free_port, repo_root):
    """A missing annotation file, found when the dataloaders are built after
    the model, would be missing again after a restart: the job ends at once
    and the launcher's last line names the file."""
    corpus = make_synthetic(tmp_path / 'corpus')
    (corpus / 'annotations' / 'pretrain_video.json').unlink()
    result = subprocess.run(
        ['bash', str(repo_root / 'tools' / 'dist_train.sh'),
         'configs/demo/smaug_tiny_synthetic.py', '2',
         '--work-dir', str(tmp_path / 'work'), '--cfg-options',
         f'data_root={corpus}',
         f'model.data_preprocessor.tokenizer={corpus}/vocab.txt'],
        cwd=repo_root, env=dict(tool_env, PORT=str(free_port)),
        capture_output=True, text=True, timeout=240)
    assert result.returncode == 1, result.stderr[-3000:]
    assert 'will restart worker group' not in result.stderr
    last = result.stderr.splitlines()[-1]
    assert last.startswith('dist_train.sh: '), result.stderr[-3000:]
    assert (f'{corpus}/annotations/pretrain_video.json: annotation file '
            'not found') in last


def test_a_port_in_use_stops_the_launcher(tmp_path, tool_env, repo_root):
    """On one machine, a PORT in use is another job's: the launcher stops
    at once, where torchrun would wait to join that job's rendezvous."""
    with socket.socket() as busy:
        busy.bind(('127.0.0.1', 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            ['bash', str(repo_root / 'tools' / 'dist_train.sh'), 'cfg.py',
             '2'],
            env=dict(tool_env, PORT=str(port)), capture_output=True,
            text=True, timeout=60)
    assert result.returncode == 1
    assert result.stderr == (
        f'dist_train.sh: port {port} of 127.0.0.1 is in use (another '
        'training on this machine?); choose a free one with PORT=...\n')
