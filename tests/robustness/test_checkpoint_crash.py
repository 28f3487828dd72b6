"""A process killed (SIGKILL) in the middle of writing a checkpoint leaves
``last_checkpoint`` naming the previous, complete checkpoint, even with
``max_keep_ckpts=1`` (mmengine's own CheckpointHook deletes the previous
checkpoint before writing the new one: with it, this test fails on a
deleted epoch_1.pth). One killed after updating ``last_checkpoint`` but
before deleting the outdated checkpoint deletes it when resumed. A full
disk while writing ``last_checkpoint`` or TensorBoard events stops the run
with an error naming the file and the reason, leaving no partial file.
``--resume`` itself is tested in tests/robustness/test_exact_resume.py."""
import os
import re
import signal

import pytest
from faulty_modules import TENSORBOARD_FAULT_ENV
from toy_runs import toy_cfg

from smaug.engine import SMAUGRunner
from smaug.checkpoints.checkpoint_loading import load_local_checkpoint

CONFIG = """
_base_ = [{toy!r}]
custom_imports = dict(imports=['toy_modules', 'faulty_modules'],
                      allow_failed_imports=False)
train_cfg = dict(max_epochs=3)
default_hooks = dict(checkpoint=dict(interval=1, max_keep_ckpts=1))
"""


def run_killed(tmp_path, train_tool, config, fault):
    """Train ``config`` with ``fault`` (faulty_modules), which kills the
    run; returns its work_dir."""
    work_dir = tmp_path / 'work'
    run = train_tool(tmp_path, config, '--work-dir', str(work_dir),
                     extra_env=dict(SMAUG_TEST_SAVE_FAULT=fault))
    assert run.wait(timeout=120) == -signal.SIGKILL, \
        (tmp_path / 'train.log').read_text()[-3000:]
    return work_dir


def test_sigkill_during_save_keeps_latest_checkpoint(tmp_path, toy_config,
                                                     train_tool):
    work_dir = run_killed(tmp_path, train_tool, toy_config(CONFIG),
                          'kill:2')
    # killed half-way through writing epoch 2: a partial file, no epoch_2
    assert (work_dir / '.epoch_2.pth.partial').exists()
    assert not (work_dir / 'epoch_2.pth').exists()
    latest = (work_dir / 'last_checkpoint').read_text()
    assert latest == str(work_dir / 'epoch_1.pth')
    assert load_local_checkpoint(latest)['meta']['epoch'] == 1


def test_kill_before_deleting_outdated_checkpoint_is_cleaned_on_resume(
        tmp_path, toy_config, train_tool):
    work_dir = run_killed(tmp_path, train_tool, toy_config(CONFIG),
                          'kill_before_delete')
    # killed after last_checkpoint named epoch_2, before epoch_1 was deleted
    assert (work_dir / 'last_checkpoint').read_text() == str(
        work_dir / 'epoch_2.pth')
    assert (work_dir / 'epoch_1.pth').exists()
    # a file the user put there, named like a checkpoint of the hook
    (work_dir / 'epoch_0.pth').write_bytes(b'mine')
    # --resume (in this process)

    SMAUGRunner.from_cfg(toy_cfg(
        work_dir, max_epochs=3, resume=True,
        **{'default_hooks.checkpoint.max_keep_ckpts': 1})).train()
    assert sorted(path.name for path in work_dir.glob('*.pth')) == [
        'epoch_0.pth', 'epoch_3.pth']


@pytest.mark.skipif(not os.path.exists('/dev/full'),
                    reason='needs /dev/full (Linux)')
def test_full_disk_writing_last_checkpoint_names_it(tmp_path):
    work_dir = tmp_path / 'work'
    work_dir.mkdir()
    # every write to last_checkpoint.partial fails as on a full disk
    (work_dir / 'last_checkpoint.partial').symlink_to('/dev/full')
    runner = SMAUGRunner.from_cfg(toy_cfg(work_dir))
    with pytest.raises(RuntimeError) as error:
        runner.train()
    assert str(error.value) == (
        f'Could not write {work_dir / "last_checkpoint"} (the disk is '
        'full). It still names the previous checkpoint; the new checkpoint '
        f'{work_dir / "epoch_1.pth"} is complete.')
    assert not os.path.lexists(work_dir / 'last_checkpoint.partial')
    assert load_local_checkpoint(str(work_dir / 'epoch_1.pth'))


def test_full_disk_writing_tensorboard_events_names_the_folder(
        tmp_path, toy_config, train_tool):
    work_dir = tmp_path / 'work'
    run = train_tool(tmp_path, toy_config(CONFIG), '--work-dir',
                     str(work_dir),
                     extra_env={TENSORBOARD_FAULT_ENV: 'enospc'})
    assert run.wait(timeout=300) == 1
    log = (tmp_path / 'train.log').read_text()
    assert re.search(r'RuntimeError: Could not write TensorBoard events to '
                     rf'{work_dir}/\d+_\d+/vis_data \(the disk is full\)',
                     log), log[-3000:]
    # TensorBoard's writer thread said nothing of its own, bare error
    assert 'Exception in thread' not in log
