"""tools/dist_test.sh on a CPU-only machine: 2 gloo processes print the
retrieval table, with the metrics of a single-process tools/test.py run."""
import re
import subprocess
import sys

import torch
from mmengine.registry import init_default_scope

from smaug.config import load_config
from smaug.registry import MODELS

import media_files

CONFIG = 'configs/demo/ret_tiny_synthetic.py'
METRIC = re.compile(r'(retrieval/[\w/@]+): ([\d.]+)')


def write_checkpoint(repo_root, workspace):
    """A randomly initialised tiny retrieval model's checkpoint."""
    cfg = load_config(str(repo_root / CONFIG))
    cfg.model.data_preprocessor.tokenizer = str(
        workspace / 'data' / 'synthetic' / 'vocab.txt')
    init_default_scope('smaug')
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    model.init_weights()
    path = workspace / 'retrieval.pth'
    torch.save({'state_dict': model.state_dict()}, path)
    return path


def run_test(command, workspace, env):
    """Run a test command in ``workspace``; its output and metrics."""
    options = ['--cfg-options', 'test_dataloader.num_workers=0',
               'test_dataloader.persistent_workers=False']
    result = subprocess.run(command + options, cwd=workspace, env=env,
                            capture_output=True, text=True, timeout=300)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    return output, dict(METRIC.findall(output))


def test_two_process_test_matches_one_process(tmp_path, tool_env, free_port,
                                              repo_root):
    media_files.make_synthetic(tmp_path / 'data' / 'synthetic',
                               num_videos=30, num_frames=8, size=64,
                               num_images=1)
    checkpoint = write_checkpoint(repo_root, tmp_path)
    config = str(repo_root / CONFIG)
    env = dict(tool_env, OMP_NUM_THREADS='1', PORT=str(free_port))
    _, single = run_test(
        [sys.executable, str(repo_root / 'tools' / 'test.py'), config,
         str(checkpoint), '--work-dir', str(tmp_path / 'one')],
        tmp_path, env)
    output, distributed = run_test(
        ['bash', str(repo_root / 'tools' / 'dist_test.sh'), config,
         str(checkpoint), '2', '--work-dir', str(tmp_path / 'two')],
        tmp_path, env)
    assert re.search(r'R@1\s+R@5\s+R@10\s+R_mean\s+MdR\s+MnR', output)
    assert 'retrieval/t2v/R@1' in single
    assert distributed == single
