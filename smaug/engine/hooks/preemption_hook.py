"""Save a checkpoint that resumes exactly, then stop, when the job is told
to end (SIGTERM, SIGUSR1)."""
import functools
import os
import signal
import threading

import torch
from mmengine.dist import all_reduce
from mmengine.hooks import Hook

from smaug.registry import HOOKS
from ..utils.process_group import close_distributed
from ..utils.stop_report import report_stop
from .crash_safe_checkpoint_hook import CrashSafeCheckpointHook


class TrainingPreempted(SystemExit):
    """Ends a training stopped by a signal; its code is 128 + the signal
    number."""


def leave_signals_to_main_process(signals, worker_init_fn, worker_id):
    """``worker_init_fn`` of dataloader workers: ``signals`` from anyone but
    the main process are ignored (the main process saves and then ends its
    workers); one from the main process (its shutdown of the workers) ends
    the worker, as PyTorch's own SIGTERM handler does. Then the loader's own
    ``worker_init_fn`` runs.

    Args:
        signals (list[signal.Signals]): The signals.
        worker_init_fn (callable, optional): The loader's function.
        worker_id (int): The worker's index.
    """
    signal.pthread_sigmask(signal.SIG_BLOCK, signals)
    threading.Thread(target=exit_on_signal_from, daemon=True,
                     args=(os.getppid(), signals)).start()
    if worker_init_fn is not None:
        worker_init_fn(worker_id)


def exit_on_signal_from(sender, signals):
    """Consume ``signals`` (blocked in every thread) until one comes from
    the process ``sender``, then end this process.

    Args:
        sender (int): The pid whose signal ends the process.
        signals (list[signal.Signals]): The signals.
    """
    while signal.sigwaitinfo(signals).si_pid != sender:
        pass
    os._exit(0)


@HOOKS.register_module()
class PreemptionHook(Hook):
    """On SIGTERM or SIGUSR1, finish the iteration, save a checkpoint that
    resumes exactly, and exit.

    Slurm (time limit, preemption, ``scancel``) and Kubernetes (pod
    deletion, node drain) send SIGTERM, then SIGKILL a grace period later
    (Slurm's ``KillWait``, Kubernetes' ``terminationGracePeriodSeconds``:
    30 s by default); Slurm's ``--signal=USR1@120`` sends SIGUSR1 two
    minutes before the time limit. torchrun forwards SIGTERM to its workers
    (tools/dist_train.sh has it forward SIGUSR1 too) and kills them after
    ``TORCH_ELASTIC_SHUTDOWN_TIMEOUT`` (30 s).

    After every training iteration the processes agree on whether to stop
    (an all-reduce of one number, the signal received or 0: small next to
    the gradients' all-reduce), so all of them stop after the same
    iteration even when the signal reaches them at different times. They
    save ``iter_<N>.pth`` (:meth:`CrashSafeCheckpointHook.save_resumable`,
    with the position in the epoch of :class:`ExactResumeHook`): ``--resume``
    continues as if the run had never stopped. The process then logs what
    happened and exits with status 128 + the signal number (143 for SIGTERM,
    138 for SIGUSR1), as a shell reports a process that the signal ended:
    not 0, since the training is not finished, and distinct from a failure
    (1), so that a job script can requeue on it.

    Dataloader workers started after ``before_train`` (those of
    ``EpochBasedTrainLoop`` and of validation) leave these signals to the
    main process (:func:`leave_signals_to_main_process`): Slurm signals
    every process of a job step, and a worker it ended would abort the main
    process. A signal during validation is acted on after the next
    training iteration; the last validation of a run ends normally.

    Args:
        signals (Sequence[str]): The signals to act on. Defaults to
            ``('SIGTERM', 'SIGUSR1')``.
    """
    priority = 'LOWEST'  # after the CheckpointHook: one save per iteration

    def __init__(self, signals=('SIGTERM', 'SIGUSR1')):
        unknown = [name for name in signals
                   if name not in signal.Signals.__members__]
        if unknown:
            raise ValueError(f'PreemptionHook: unknown signals {unknown}')
        self.signals = [signal.Signals[name] for name in signals]
        self.received = 0  # the number of the latest signal received
        self._previous_handlers = {}

    def before_train(self, runner):
        """Catch the signals, here and not in dataloader workers.

        Args:
            runner (Runner): The runner.
        """
        for loop in (runner.train_loop, runner.val_loop):
            loader = getattr(loop, 'dataloader', None)
            if loader is not None and loader.num_workers > 0:
                loader.worker_init_fn = functools.partial(
                    leave_signals_to_main_process, self.signals,
                    loader.worker_init_fn)
        for signum in self.signals:
            self._previous_handlers[signum] = signal.signal(
                signum, self._receive)

    def _receive(self, signum, frame):
        """Signal handler: remember the signal (nothing else is safe)."""
        self.received = signum

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None):
        """Save and exit if any process received a signal.

        Args:
            runner (Runner): The runner.
            batch_idx (int): Index of the batch.
            data_batch (dict, optional): The batch.
            outputs (dict, optional): The step's log variables.
        """
        agreed = torch.tensor(self.received)
        all_reduce(agreed, op='max')
        if agreed.item():
            self._save_and_exit(runner, signal.Signals(agreed.item()))

    def after_train(self, runner):
        """Give the signals back to their previous handlers.

        Args:
            runner (Runner): The runner.
        """
        self.restore_handlers()
        if self.received:
            runner.logger.warning(
                f'{signal.Signals(self.received).name} arrived after the '
                'last training iteration; the training had finished.')

    def _save_and_exit(self, runner, signum):
        """Save a resumable checkpoint on every process, close the run and
        exit with status 128 + ``signum``.

        Args:
            runner (Runner): The runner.
            signum (signal.Signals): The signal.
        """
        saver = next((hook for hook in runner.hooks
                      if isinstance(hook, CrashSafeCheckpointHook)), None)
        status = 128 + signum
        stopped = (f'{signum.name} received: stopped after iteration '
                   f'{runner.iter + 1} (epoch {runner.epoch + 1})')
        if saver is None:
            saved = ('no checkpoint saved (the config has no '
                     'CrashSafeCheckpointHook)')
            report = (1, f'{stopped}, {saved}.')
        else:
            checkpoint = saver.save_resumable(runner)
            saved = f'saved {checkpoint}; --resume continues from it exactly'
            report = (status, f'{stopped} on every process, saved '
                      f'{checkpoint}: requeue the job, or resume with: '
                      '{resume}')
        runner.logger.warning(
            f'{stopped}, {saved}. Exiting with status {status} (128 + '
            f'{signum.name}).')
        runner.call_hook('after_run')
        close_distributed()  # past it, every process knows the save is done
        report_stop(*report)
        self.restore_handlers()
        raise TrainingPreempted(status)

    def restore_handlers(self):
        """Give the signals back to the handlers they had before (once; the
        runner also calls it when the training raised, since mmengine then
        calls no ``after_train``)."""
        for signum, handler in self._previous_handlers.items():
            signal.signal(signum, handler)
        self._previous_handlers.clear()
