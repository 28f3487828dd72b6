"""SIGTERM (what Slurm and Kubernetes send before they kill a job) makes a
training save a checkpoint after the current iteration and exit with 143;
``--resume`` then trains exactly like a run that was never interrupted:
same batches, same losses, same final weights and optimizer state, bit for
bit. Once with tools/train.py (the signal sent to every process of the job,
dataloader worker included, as Slurm does) and once with
tools/dist_train.sh, 2 gloo processes (the signal sent to the launcher, which
hands it on, as Kubernetes sends it; the launcher then exits 143 too). Sent
to one training process only, the processes still agree and stop together.
SIGUSR1 (Slurm's ``--signal=USR1@<seconds>``) does the same,
exiting with 138 (an in-process run).

The toy config (tests/fixtures/configs/toy_train.py: 16 points, batches of
2) with SGD momentum and a per-epoch cosine schedule, so that the optimizer
and scheduler states matter; CorpusBatchSampler skips the batches of the
epoch that the checkpoint has trained on. The stopped run pauses after a
chosen iteration (StepRecorderHook) until the test has sent the signal:
it is handled after that iteration, mid-epoch.
"""
import os
import signal
import socket

import pytest
from killed_runs import assert_same_checkpoint, read_steps
from mmengine.hooks import Hook
from run_recorder import let_continue, wait_until_paused
from toy_runs import toy_cfg

from smaug.engine import SMAUGRunner, TrainingPreempted
from smaug.checkpoints.checkpoint_loading import load_local_checkpoint

CONFIG = """
_base_ = [{toy!r}]
custom_imports = dict(imports=['toy_modules', 'run_recorder'],
                      allow_failed_imports=False)
custom_hooks = [dict(type='StepRecorderHook')]
train_dataloader = dict(num_workers={workers},
                        persistent_workers={workers} > 0,
                        batch_sampler=dict(type='CorpusBatchSampler'))
train_cfg = dict(max_epochs=3)
optim_wrapper = dict(optimizer=dict(type='SGD', lr=0.01, momentum=0.9))
default_hooks = dict(checkpoint=dict(interval=1, max_keep_ckpts=2))
"""
SIGTERM_STATUS = 128 + signal.SIGTERM
# gloo on the CPU, also where there is a GPU (2 ranks cannot share one)
CPU_ONLY = dict(CUDA_VISIBLE_DEVICES='')


def assert_same_training(work_dir, reference, last_epoch,
                         step_files=('steps.jsonl', )):
    """The steps (batches, exact losses) and the last checkpoint (weights,
    optimizer state) of ``work_dir`` equal those of ``reference``."""
    for name in step_files:
        assert read_steps(work_dir, name) == read_steps(reference, name)
    assert_same_checkpoint(work_dir / f'epoch_{last_epoch}.pth',
                           reference / f'epoch_{last_epoch}.pth')


def free_ports(count):
    """``count`` distinct TCP ports that nothing listens on right now."""
    sockets = [socket.socket() for _ in range(count)]
    for sock in sockets:
        sock.bind(('127.0.0.1', 0))
    ports = [sock.getsockname()[1] for sock in sockets]
    for sock in sockets:
        sock.close()
    return ports


def test_sigterm_saves_a_checkpoint_that_resumes_exactly(
        tmp_path, toy_config, train_tool):
    # 8 iterations per epoch; stopped in epoch 2 after its 3rd batch
    stop_after = 11
    config = toy_config(CONFIG, workers=1)
    whole, stopped = tmp_path / 'uninterrupted', tmp_path / 'stopped'
    reference = train_tool(tmp_path, config, '--work-dir', str(whole),
                           log='uninterrupted.log')
    run = train_tool(tmp_path, config, '--work-dir', str(stopped),
                     log='stopped.log',
                     extra_env=dict(SMAUG_TEST_PAUSE_AFTER_ITER=str(
                         stop_after)))
    wait_until_paused(stopped, run)
    os.killpg(run.pid, signal.SIGTERM)  # as Slurm: every process of the job
    let_continue(stopped)
    log = (tmp_path / 'stopped.log')
    assert run.wait(timeout=300) == SIGTERM_STATUS, log.read_text()[-3000:]
    assert (f'SIGTERM received: stopped after iteration {stop_after} '
            f'(epoch 2), saved {stopped / f"iter_{stop_after}.pth"}; '
            '--resume continues from it exactly') in log.read_text()
    assert (stopped / 'last_checkpoint').read_text() == str(
        stopped / f'iter_{stop_after}.pth')
    assert len(read_steps(stopped)) == stop_after

    resumed = train_tool(tmp_path, config, '--work-dir', str(stopped),
                         '--resume', log='resumed.log')
    log = (tmp_path / 'resumed.log')
    assert resumed.wait(timeout=300) == 0, log.read_text()[-3000:]
    assert 'resuming epoch 2 after its first 3 batches' in log.read_text()
    assert reference.wait(timeout=300) == 0, \
        (tmp_path / 'uninterrupted.log').read_text()[-3000:]
    assert_same_training(stopped, whole, last_epoch=3)
    # iter_11.pth counted in max_keep_ckpts=2 like the others
    assert sorted(path.name for path in stopped.glob('*.pth')) == [
        'epoch_2.pth', 'epoch_3.pth']


def test_sigterm_to_the_launcher_stops_every_rank_after_the_same_iteration(
        tmp_path, toy_config, train_tool, repo_root):
    # 2 ranks x 8 points, batches of 2: 4 iterations per epoch; rank 0
    # pauses after iteration 6 (epoch 2, 2nd batch); the launcher hands the
    # signal to torchrun, which hands it to both processes; then the
    # launcher exits 143 and its last line gives the command that resumes
    stop_after = 6
    config = toy_config(CONFIG, workers=0)
    whole, stopped = tmp_path / 'uninterrupted', tmp_path / 'stopped'
    ports = free_ports(3)
    reference = train_tool(tmp_path, config, '--work-dir', str(whole),
                           log='uninterrupted.log', dist_processes=2,
                           extra_env=dict(CPU_ONLY, PORT=str(ports[0])))
    run = train_tool(tmp_path, config, '--work-dir', str(stopped),
                     log='stopped.log', dist_processes=2,
                     extra_env=dict(CPU_ONLY, PORT=str(ports[1]),
                                    SMAUG_TEST_PAUSE_AFTER_ITER=str(
                                        stop_after)))
    wait_until_paused(stopped, run)
    run.send_signal(signal.SIGTERM)  # to the launcher only, as Kubernetes
    let_continue(stopped)
    log = (tmp_path / 'stopped.log')
    # every process saved: "saved, requeue me"
    assert run.wait(timeout=300) == SIGTERM_STATUS, log.read_text()[-3000:]
    checkpoint = stopped / f'iter_{stop_after}.pth'
    assert (f'SIGTERM received: stopped after iteration {stop_after} '
            f'(epoch 2), saved {checkpoint}') in log.read_text()
    assert log.read_text().rstrip().endswith(
        f'dist_train.sh: SIGTERM received: stopped after iteration '
        f'{stop_after} (epoch 2) on every process, saved {checkpoint}: '
        f'requeue the job, or resume with: {repo_root}/tools/dist_train.sh '
        f'{config} 2 --work-dir {stopped} --resume (exit status 143)')
    assert (stopped / 'last_checkpoint').read_text() == str(checkpoint)
    step_files = ('steps.jsonl', 'steps.rank1.jsonl')
    assert [len(read_steps(stopped, name)) for name in step_files] == [
        stop_after, stop_after]

    resumed = train_tool(tmp_path, config, '--work-dir', str(stopped),
                         '--resume', log='resumed.log', dist_processes=2,
                         extra_env=dict(CPU_ONLY, PORT=str(ports[2])))
    log = (tmp_path / 'resumed.log')
    assert resumed.wait(timeout=300) == 0, log.read_text()[-3000:]
    assert 'resuming epoch 2 after its first 2 batches' in log.read_text()
    assert reference.wait(timeout=300) == 0, \
        (tmp_path / 'uninterrupted.log').read_text()[-3000:]
    assert_same_training(stopped, whole, last_epoch=3, step_files=step_files)


def test_sigterm_to_one_process_stops_every_rank_after_the_same_iteration(
        tmp_path, toy_config, train_tool):
    """A signal that reaches one training process only (a node-local
    event): the processes agree to stop (the PreemptionHook's all-reduce),
    each saves the same iteration and exits 143, and the launcher says so.
    With restarts left torchrun would start them again (they resume); here
    MAX_RESTARTS=0."""
    config = toy_config(CONFIG, workers=0)
    stopped = tmp_path / 'stopped'
    run = train_tool(tmp_path, config, '--work-dir', str(stopped),
                     log='stopped.log', dist_processes=2,
                     extra_env=dict(CPU_ONLY, PORT=str(free_ports(1)[0]),
                                    MAX_RESTARTS='0',
                                    SMAUG_TEST_PAUSE_AFTER_ITER='6'))
    wait_until_paused(stopped, run)
    # rank 1 waits for rank 0 in iteration 6 or 7: it stops after one
    os.kill(int((stopped / 'pid.rank1').read_text()), signal.SIGTERM)
    let_continue(stopped)
    status = run.wait(timeout=120)  # ~30 s; a rank stopped alone hangs
    log = (tmp_path / 'stopped.log').read_text()
    assert status == SIGTERM_STATUS, log[-3000:]
    counts = {len(read_steps(stopped, name))
              for name in ('steps.jsonl', 'steps.rank1.jsonl')}
    assert len(counts) == 1 and counts <= {6, 7}, counts
    last = counts.pop()
    assert (stopped / 'last_checkpoint').read_text() == str(
        stopped / f'iter_{last}.pth')
    assert f'SIGTERM received: stopped after iteration {last} (epoch 2) on ' \
        'every process' in log


class SignalAfter(Hook):
    """Sends ``signum`` to this process after iteration ``iteration``."""

    def __init__(self, signum, iteration):
        self.signum, self.iteration = signum, iteration

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None):
        if runner.iter + 1 == self.iteration:
            os.kill(os.getpid(), self.signum)


def test_sigusr1_saves_and_exits_with_138(tmp_path):
    runner = SMAUGRunner.from_cfg(toy_cfg(tmp_path, max_epochs=2))
    runner.register_hook(SignalAfter(signal.SIGUSR1, 5), priority='HIGH')
    before = signal.getsignal(signal.SIGUSR1)
    with pytest.raises(TrainingPreempted) as stop:
        runner.train()
    assert stop.value.code == 128 + signal.SIGUSR1
    assert (tmp_path / 'last_checkpoint').read_text() == str(
        tmp_path / 'iter_5.pth')
    meta = load_local_checkpoint(str(tmp_path / 'iter_5.pth'))['meta']
    assert (meta['epoch'], meta['iter']) == (0, 5)
    assert meta['data_position']['batches'] == 5
    # the handlers before the training are back
    assert signal.getsignal(signal.SIGUSR1) is before


class FailAfter(Hook):
    """Raises after iteration ``iteration``."""

    def __init__(self, iteration):
        self.iteration = iteration

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None):
        if runner.iter + 1 == self.iteration:
            raise RuntimeError('failed on purpose')


def test_a_failed_training_gives_the_signals_back(tmp_path):
    """A runner that raised must not keep SIGTERM: in a notebook or a
    script that goes on, SIGTERM would otherwise be swallowed by a dead
    hook instead of ending the process."""
    runner = SMAUGRunner.from_cfg(toy_cfg(tmp_path))
    runner.register_hook(FailAfter(2))
    before = signal.getsignal(signal.SIGTERM)
    with pytest.raises(RuntimeError, match='failed on purpose'):
        runner.train()
    assert signal.getsignal(signal.SIGTERM) is before
