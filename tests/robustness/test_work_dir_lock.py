"""A second tools/train.py on the work_dir of a running training is refused
with one message naming the work_dir and the other run, without a
traceback, before it creates anything (no timestamp folder, no line in the
other run's log); so is a second tools/dist_train.sh, once (torchrun does
not restart a refused training), its last line the refusal. Once the first
run is killed (SIGKILL: no chance to clean up), the work_dir is free
again."""
import signal
import socket

from run_recorder import wait_until_paused

from smaug.engine.runners.work_dir_lock import WorkDirLock

CONFIG = """
_base_ = [{toy!r}]
custom_imports = dict(imports=['toy_modules', 'run_recorder'],
                      allow_failed_imports=False)
custom_hooks = [dict(type='StepRecorderHook')]
train_cfg = dict(max_epochs=1)
"""


def test_second_training_on_a_work_dir_is_refused(tmp_path, toy_config,
                                                  train_tool, free_port):
    config = toy_config(CONFIG)
    work_dir = tmp_path / 'work'
    first = train_tool(tmp_path, config, '--work-dir', str(work_dir),
                       log='first.log',
                       extra_env=dict(SMAUG_TEST_PAUSE_AFTER_ITER='1'))
    wait_until_paused(work_dir, first)
    before = sorted(work_dir.rglob('*'))
    first_log, = work_dir.glob('*/*.log')
    first_log_size = first_log.stat().st_size
    try:
        second = train_tool(tmp_path, config, '--work-dir', str(work_dir),
                            '--resume', log='second.log')
        status = second.wait(timeout=300)
        log = (tmp_path / 'second.log').read_text()
        assert status == 1, log[-3000:]
        assert log.startswith(
            f'error: work_dir {work_dir} is in use by another training: pid '
            f'{first.pid} on host {socket.gethostname()}, started ')
        assert log.count('\n') == 1 and 'Traceback' not in log, log
        assert 'train in another folder with --work-dir' in log
        dist = train_tool(tmp_path, config, '--work-dir', str(work_dir),
                          log='dist.log', dist_processes=2,
                          extra_env=dict(CUDA_VISIBLE_DEVICES='',
                                         PORT=str(free_port)))
        status = dist.wait(timeout=300)
        log = (tmp_path / 'dist.log').read_text()
        assert status == 1, log[-3000:]
        refusal = f'work_dir {work_dir} is in use by another training'
        assert log.count(f'error: {refusal}') == 1, log[-3000:]
        assert log.splitlines()[-1].startswith(f'dist_train.sh: {refusal}')
        assert sorted(work_dir.rglob('*')) == before
        assert first_log.stat().st_size == first_log_size
        assert len((work_dir / 'steps.jsonl').read_text().splitlines()) == 1
        assert first.poll() is None
    finally:
        first.kill()
    assert first.wait(timeout=60) == -signal.SIGKILL
    # the killed run left its lock file, not its lock
    assert (work_dir / 'train.lock').exists()
    lock = WorkDirLock(str(work_dir))
    assert lock.acquire() is None and lock.held
    lock.release()
