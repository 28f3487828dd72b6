"""A second tools/train.py on the work_dir of a running training is refused
with a message naming the work_dir and the other run; once that run is
killed (SIGKILL: no chance to clean up), the work_dir is free again."""
import signal
import socket

from run_recorder import wait_until_paused

CONFIG = """
_base_ = [{toy!r}]
custom_imports = dict(imports=['toy_modules', 'run_recorder'],
                      allow_failed_imports=False)
custom_hooks = [dict(type='StepRecorderHook')]
train_cfg = dict(max_epochs=1)
"""


def test_second_training_on_a_work_dir_is_refused(tmp_path, fixtures_dir,
                                                  train_tool):
    config = tmp_path / 'toy_lock.py'
    config.write_text(CONFIG.format(
        toy=str(fixtures_dir / 'configs' / 'toy_train.py')))
    work_dir = tmp_path / 'work'
    first = train_tool(tmp_path, config, '--work-dir', str(work_dir),
                       log='first.log',
                       extra_env=dict(SMAUG_TEST_PAUSE_AFTER_ITER='1'))
    wait_until_paused(work_dir, first)

    second = train_tool(tmp_path, config, '--work-dir', str(work_dir),
                        '--resume', log='second.log')
    status = second.wait(timeout=300)
    log = (tmp_path / 'second.log').read_text()
    assert status == 1, log[-3000:]
    assert (f'WorkDirInUseError: work_dir {work_dir} is in use by another '
            f'training: pid {first.pid} on host {socket.gethostname()}, '
            'started ') in log
    assert 'train in another folder with --work-dir' in log
    assert len((work_dir / 'steps.jsonl').read_text().splitlines()) == 1
    assert first.poll() is None

    first.kill()
    assert first.wait(timeout=60) == -signal.SIGKILL
    third = train_tool(tmp_path, config, '--work-dir', str(work_dir),
                       '--resume', log='third.log')
    assert third.wait(timeout=300) == 0, \
        (tmp_path / 'third.log').read_text()[-3000:]
