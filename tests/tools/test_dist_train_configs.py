"""Every shipped config (configs/**/*.py outside _base_) trains with 2
processes through tools/dist_train.sh (torchrun, gloo on the CPU): the
config itself, inherited by a file that swaps in the tiny model, 64 px
frames and a small synthetic corpus (tests/fixtures/small_configs.py).
An epoch of two batches per corpus and process (a loop counted in
iterations runs 8 per process: two such epochs), so that some step always
follows an image batch (which leaves the temporal encoder and the frame
selector without gradient): DDP fails on the step after one that left a
parameter unused, unless it looks for unused parameters. Test-only configs
(zero-shot retrieval, multiple choice) run tools/dist_test.sh on a
checkpoint of their model."""
import re
import subprocess

import pytest
import torch
from mmengine.registry import init_default_scope

from smaug.registry import MODELS

import media_files
import small_configs

CONFIGS = small_configs.shipped_configs()
# What tools/test.py prints for the test-only models (retrieval, MC).
TEST_METRIC = re.compile(r'(retrieval/t2v/R@1|mc/accuracy): [\d.]+')


@pytest.fixture(scope='module')
def corpus(tmp_path_factory):
    """A small synthetic corpus: 10 training clips, 2 test clips and 8
    images; 8 samples of each training corpus (4 per process) and 2 of
    each test set (1 per process) are used."""
    return media_files.make_synthetic(
        tmp_path_factory.mktemp('dist') / 'synthetic', num_videos=12,
        num_frames=8, size=64, num_images=8)


def save_random_checkpoint(cfg, path):
    """Save a checkpoint of ``cfg``'s model with its initial weights.

    Args:
        cfg (Config): A shrunk config.
        path (Path): The checkpoint to write.
    """
    init_default_scope('smaug')
    model = MODELS.build(cfg.model)
    model.init_weights()
    torch.save(dict(state_dict=model.state_dict()), path)
    return path


def run_tool(script, arguments, env, port):
    """Run ``tools/<script>`` with 2 processes; assert that it succeeds.

    Args:
        script (str): ``'dist_train.sh'`` or ``'dist_test.sh'``.
        arguments (list[str]): Its arguments.
        env (dict): The environment.
        port (int): A free port for torchrun.
    """
    result = subprocess.run(
        ['bash', str(small_configs.REPO_ROOT / 'tools' / script),
         *arguments],
        env=dict(env, PORT=str(port)), capture_output=True, text=True,
        timeout=300)
    assert result.returncode == 0, (result.stdout[-2000:] +
                                    result.stderr[-4000:])
    return result.stdout + result.stderr


def is_test_only(config, cfg):
    """Whether a shipped config is only tested: it has no training set, or
    it is a zero-shot config (whose training set is only inherited).

    Args:
        config (str): The config's path.
        cfg (Config): The config.
    """
    return not cfg.get('train_dataloader') or 'zeroshot' in config


@pytest.mark.parametrize('config', CONFIGS)
def test_config_runs_with_two_processes(config, corpus, tmp_path, tool_env,
                                        free_port):
    shrunk = tmp_path / 'shrunk.py'
    cfg = small_configs.write_shrunk_config(config, corpus, shrunk,
                                            train_samples=8, img_size=64)
    work_dir = tmp_path / 'work_dir'
    if is_test_only(config, cfg):
        checkpoint = save_random_checkpoint(cfg, tmp_path / 'init.pth')
        output = run_tool('dist_test.sh',
                          [str(shrunk), str(checkpoint), '2', '--work-dir',
                           str(work_dir)], tool_env, free_port)
        assert TEST_METRIC.search(output), output[-2000:]
    else:
        run_tool('dist_train.sh', [str(shrunk), '2', '--no-validate',
                                   '--work-dir', str(work_dir)],
                 tool_env, free_port)
        last = (f'iter_{cfg.train_cfg.max_iters}.pth'
                if 'max_iters' in cfg.train_cfg else 'epoch_1.pth')
        assert (work_dir / last).is_file()
