"""Stop a distributed training that a hung rank holds up, naming that rank.

When one rank of a job hangs (a stuck file system read, a dead NFS mount,
a process stopped or frozen, a machine gone), the others wait for it in
their next collective operation: for torch's timeout (30 minutes for gloo
by default), then a bare timeout error on some ranks, on NCCL an abort,
none of them saying which rank held them up.
"""
import logging
import os
import threading
import time

from mmengine.hooks import Hook

from smaug.registry import HOOKS
from ..utils.rank_progress import ProgressBoard, find_holdups, progress_step
from ..utils.stop_report import report_stop

DEFAULT_TIMEOUT = 1800  # torch's collective timeout of gloo


@HOOKS.register_module()
class RankWatchdogHook(Hook):
    """Stop a distributed training within its collective timeout when a rank
    holds it up, saying which rank, on which host, and what to look at.

    A thread of each process publishes the process's progress when it
    changes and at least every ``timeout / 16`` seconds (at most 2 s; a
    store operation may take the margin below) to the job's rendezvous store
    (:mod:`smaug.engine.utils.rank_progress`). When an iteration of this
    process has run for ``timeout`` minus a margin (``timeout / 4``, at most
    30 s), the thread reads every rank's progress, names the rank that holds
    this one up (it does not run, or it is stuck behind the others), logs
    that as one error line with the latest checkpoint and the command that
    resumes, and ends the process (status 1), before torch's own timeout
    (``timeout``) would end it without a word. torchrun then stops the other
    processes and, while restarts remain (``tools/dist_train.sh``:
    ``MAX_RESTARTS``), starts them again to resume from the latest
    checkpoint. :meth:`explain_failure` gives the same line when a
    collective fails at once (a peer whose process died).

    Only iterations are watched (from ``before_train_iter`` to the end of
    ``after_train_iter``, its checkpoint included), from the second of each
    start on (the first compiles, autotunes, starts the data workers):
    loading data, validation and start-up are not; a rank that is stuck
    loading its data is named by the ranks that wait for it.

    Does nothing in a single-process run.

    Args:
        timeout (float, optional): Seconds an iteration may take, its
            checkpoint save included. Defaults to the runner's
            ``collective_timeout`` (:class:`~smaug.engine.SMAUGRunner`:
            ``env_cfg.dist_cfg.timeout``, the torch process group's, which
            also bounds the wait for the other ranks at start-up).
    """
    priority = 'LOWEST'  # its after_train_iter ends the watched iteration

    def __init__(self, timeout=None):
        if timeout is not None and not timeout > 0:
            raise ValueError(f'RankWatchdogHook: timeout must be a positive '
                             f'number of seconds, not {timeout!r}')
        self._timeout = timeout
        self._board = None
        self._thread = None
        self._stop = threading.Event()
        self._wake = threading.Event()  # progress to publish, or stop
        self._explaining = threading.Lock()
        self._watched_since = None  # monotonic time; None: not watched
        self._step = 0
        self._validating = False
        self._first_iter = 0
        self._runner = None
        self.timeout = DEFAULT_TIMEOUT

    @property
    def margin(self):
        """float: Seconds before torch's timeout the watchdog acts."""
        return min(self.timeout / 4, 30)

    @property
    def interval(self):
        """float: Seconds between two records of this process."""
        return min(self.margin / 4, 2)

    def before_train(self, runner):
        """Start publishing this process's progress.

        Args:
            runner (Runner): The runner.
        """
        if runner.world_size < 2:
            return
        self._runner = runner
        self.timeout = self._timeout or getattr(
            runner, 'collective_timeout', DEFAULT_TIMEOUT)
        self._first_iter = runner.iter
        try:
            self._board = ProgressBoard(runner.rank, runner.world_size,
                                        timeout=self.margin)
        except (KeyError, RuntimeError) as error:  # no MASTER_ADDR / store
            runner.logger.warning(
                f'RankWatchdogHook: no rendezvous store to publish to '
                f'({type(error).__name__}: {error}); a hung rank will not be '
                'named.')
            return
        self._stop.clear()
        self._wake.clear()
        self._thread = threading.Thread(target=self._watch, daemon=True,
                                        name='rank-watchdog')
        self._thread.start()

    def before_train_iter(self, runner, batch_idx, data_batch=None):
        """Watch the iteration (from the second of this start on).

        Args:
            runner (Runner): The runner.
            batch_idx (int): Index of the batch.
            data_batch (dict, optional): The batch.
        """
        self._step = progress_step(runner.iter + 1, finished=False)
        self._wake.set()
        if runner.iter > self._first_iter:
            self._watched_since = time.monotonic()

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None):
        """The iteration is over (its checkpoint and the other hooks' work
        included: this hook comes last); the arguments are mmengine's."""
        self._watched_since = None
        self._step = progress_step(runner.iter + 1, finished=True)
        self._wake.set()

    def before_val(self, runner):
        """Say that this process validates (not watched).

        Args:
            runner (Runner): The runner.
        """
        self._validating = True
        self._wake.set()

    def after_val(self, runner):
        """Validation is over.

        Args:
            runner (Runner): The runner.
        """
        self._validating = False
        self._wake.set()

    def after_run(self, runner):
        """Stop the thread (also at a stop for a signal).

        Args:
            runner (Runner): The runner.
        """
        self.stop()

    def stop(self):
        """Stop watching and publishing (the runner also calls it when the
        training raised, since mmengine then calls no ``after_run``)."""
        self._watched_since = None
        self._stop.set()
        self._wake.set()

    def _watch(self):
        """The thread: publish the progress (at each change, at least every
        ``interval``); act when an iteration has run too long."""
        beat = 0
        while True:
            self._wake.wait(self.interval)
            self._wake.clear()
            if self._stop.is_set():
                return
            beat += 1
            try:
                self._board.publish(beat, self._step, self._validating)
            except RuntimeError:
                pass  # the store does not answer now; try at the next beat
            since = self._watched_since
            if since is not None and \
                    time.monotonic() - since > self.timeout - self.margin:
                self.explain_failure(f'no progress for '
                                     f'{time.monotonic() - since:.0f} s')
                logging.shutdown()
                # the training thread waits in a collective: end it here
                os._exit(1)

    def explain_failure(self, what):
        """Log and report which rank holds this one up; a second call (the
        training thread's error while the watchdog explains, or the other
        way round) waits for the first, which ends the process.

        Args:
            what (str): What this rank saw, e.g. ``'no progress for 570 s'``
                or the error of a failed collective.
        """
        if self._board is None:
            return
        self._explaining.acquire()  # never released: one explanation
        runner = self._runner
        holdup = find_holdups(self._board, pause=2 * self.interval)
        checkpoint = runner.message_hub.get_info('last_ckpt')
        saved = (f'the latest checkpoint is {checkpoint}' if checkpoint else
                 'no checkpoint was saved in this run')
        line = (f'Rank {runner.rank} on host {self._board.host} stopped at '
                f'iteration {(self._step + 1) // 2} ({what}; timeout '
                f'{self.timeout:g} s): {holdup}. Nothing saved is lost: '
                f'{saved}; '
                'tools/dist_train.sh restarts the processes while '
                'MAX_RESTARTS allows, or resume with: {resume}')
        runner.logger.error(line.replace('{resume}', '--resume'))
        report_stop(1, line)
