"""Training from shards (pack_shards.py, ``--cfg-options
media_format=shards``) is training from the loose files: the same samples
in the same order and the same losses, bit for bit, for the same seed; and
a shard training killed with SIGKILL resumes exactly."""
import shutil
import subprocess
import sys

from killed_runs import kill_and_resume, read_steps
from resume_demo import KILL_AFTER, LAST_ITER, write_demo_config

SHARDS = ('--cfg-options', 'media_format=shards')


def shards_only_workspace(workspace, repo_root, tool_env, out):
    """A copy of ``workspace`` whose synthetic corpus has its annotations
    and the shards of its two training files, and no video or image file.
    """
    corpus = workspace / 'data' / 'synthetic'
    shutil.copytree(corpus, out / 'data' / 'synthetic',
                    ignore=shutil.ignore_patterns('videos', 'images'))
    for name in ('pretrain_video', 'pretrain_image'):
        subprocess.run([
            sys.executable,
            str(repo_root / 'tools' / 'data' / 'pack_shards.py'),
            f'annotations/{name}.json', '--data-root', str(corpus), '--out',
            str(out / 'data' / 'synthetic' / 'shards' / name),
            '--shard-size', '40000', '--workers', '1'
        ], env=tool_env, check=True, capture_output=True)
    return out


def test_shards_train_like_loose_files_and_resume_exactly_after_sigkill(
        synthetic_workspace, train_tool, repo_root, tool_env, tmp_path):
    packed = shards_only_workspace(synthetic_workspace, repo_root, tool_env,
                                   tmp_path / 'packed')
    config = write_demo_config(tmp_path / 'resume_demo.py', repo_root)
    loose, shards = tmp_path / 'loose', tmp_path / 'shards'
    killed_run = (packed, shards, 'shards_killed.log', SHARDS)
    kill_and_resume(train_tool, config,
                    (synthetic_workspace, loose, 'loose.log', ()), killed_run,
                    KILL_AFTER, 'shards_resumed.log')

    reference = read_steps(loose)
    steps = read_steps(shards)
    # iterations 1-3, the kill, then 3-8 again from iter_2.pth
    expected = reference[:KILL_AFTER] + reference[KILL_AFTER - 1:]
    assert [s['iter'] for s in steps] == list(range(1, KILL_AFTER + 1)) + \
        list(range(KILL_AFTER, LAST_ITER + 1))
    assert [s['samples'] for s in steps] == [s['samples'] for s in expected]
    assert [s['losses'] for s in steps] == [s['losses'] for s in expected]
