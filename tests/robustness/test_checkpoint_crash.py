"""A process killed (SIGKILL) in the middle of writing a checkpoint leaves
``last_checkpoint`` naming the previous, complete checkpoint, even with
``max_keep_ckpts=1`` (mmengine's own CheckpointHook deletes the previous
checkpoint before writing the new one: with it, this test fails on a
deleted epoch_1.pth). ``--resume`` itself is tested in
tests/robustness/test_exact_resume.py."""
import signal

from smaug.engine.checkpoint_loading import load_local_checkpoint

CONFIG = """
_base_ = [{toy!r}]
custom_imports = dict(imports=['toy_modules', 'faulty_modules'],
                      allow_failed_imports=False)
train_cfg = dict(max_epochs=3)
default_hooks = dict(checkpoint=dict(interval=1, max_keep_ckpts=1))
"""


def test_sigkill_during_save_keeps_latest_checkpoint(tmp_path, fixtures_dir,
                                                     train_tool):
    config = tmp_path / 'toy_crash.py'
    config.write_text(CONFIG.format(
        toy=str(fixtures_dir / 'configs' / 'toy_train.py')))
    work_dir = tmp_path / 'work'
    run = train_tool(tmp_path, config, '--work-dir', str(work_dir),
                     extra_env=dict(SMAUG_TEST_SAVE_FAULT='kill:2'))
    assert run.wait(timeout=120) == -signal.SIGKILL, \
        (tmp_path / 'train.log').read_text()[-3000:]
    # killed half-way through writing epoch 2: a partial file, no epoch_2
    assert (work_dir / '.epoch_2.pth.partial').exists()
    assert not (work_dir / 'epoch_2.pth').exists()
    latest = (work_dir / 'last_checkpoint').read_text()
    assert latest == str(work_dir / 'epoch_1.pth')
    assert load_local_checkpoint(latest)['meta']['epoch'] == 1

