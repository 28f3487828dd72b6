"""Fixtures of the robustness tests: a small synthetic corpus, a helper
that runs tools/train.py as a user would, and the config and uninterrupted
run of the cluster-fault tests."""
import subprocess
import sys
from pathlib import Path

import pytest


import cluster_runs
import media_files


@pytest.fixture(scope='session')
def synthetic_workspace(tmp_path_factory):
    """A folder holding data/synthetic: 10 training clips (8 frames, 64x64)
    and 8 images, so that batches of 4 give 4 iterations per epoch."""
    root = tmp_path_factory.mktemp('robustness_workspace')
    media_files.make_synthetic(root / 'data' / 'synthetic', num_videos=12,
                               num_frames=8, size=64, num_images=8)
    return root


@pytest.fixture
def toy_config(tmp_path, fixtures_dir):
    """Returns a function ``write(text, **values)`` that writes a config
    to ``tmp_path/toy_config.py`` and gives its path: ``text`` formatted
    with ``toy``, the path of tests/fixtures/configs/toy_train.py (for
    ``_base_``), and ``values``."""
    def write(text, **values):
        path = tmp_path / 'toy_config.py'
        path.write_text(text.format(
            toy=str(fixtures_dir / 'configs' / 'toy_train.py'), **values))
        return path

    return write


@pytest.fixture
def train_tool(tool_env, repo_root):
    """Start tools/train.py (one process, 1 thread per op) in a folder;
    returns a function ``start(cwd, config, *options, log='train.log',
    extra_env=None, dist_processes=0)`` giving a :class:`subprocess.Popen`
    whose output goes to ``cwd/<log>``. With ``dist_processes=N`` it runs
    ``tools/dist_train.sh config N *options`` instead. Each run is the
    leader of a new process group (a job, as a scheduler sees it)."""
    env = dict(tool_env, OMP_NUM_THREADS='1')

    def start(cwd, config, *options, log='train.log', extra_env=None,
              dist_processes=0):
        command = ([str(repo_root / 'tools' / 'dist_train.sh'), str(config),
                    str(dist_processes)] if dist_processes else
                   [sys.executable, str(repo_root / 'tools' / 'train.py'),
                    str(config)])
        with open(Path(cwd) / log, 'w') as out:
            return subprocess.Popen(
                [*command, *options], cwd=cwd,
                env=dict(env, **(extra_env or {})), stdout=out,
                stderr=subprocess.STDOUT, start_new_session=True)

    return start


@pytest.fixture(scope='session')
def cluster_config(tmp_path_factory):
    """The shrunk demo config of the cluster-fault tests
    (tests/fixtures/cluster_runs.py)."""
    return cluster_runs.write_cluster_config(
        tmp_path_factory.mktemp('cluster_config'))


@pytest.fixture(scope='session')
def cluster_reference(synthetic_workspace, cluster_config, tmp_path_factory):
    """The uninterrupted 2-process run of ``cluster_config``, started when
    first asked for (it runs beside that test's own launch); call it to
    wait for its end and get its work_dir."""
    folder = tmp_path_factory.mktemp('cluster_reference')
    launch = cluster_runs.dist_train(
        synthetic_workspace, cluster_config, folder / 'work', 2,
        folder / 'reference.log')

    def finished():
        assert launch.wait() == 0, launch.text()[-3000:]
        return folder / 'work'

    return finished
