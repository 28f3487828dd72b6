"""What a training run spends on training alone, validation set apart.

:func:`process_tree_cpu` is a CPU clock of this process and its dataloader
workers; :class:`ComputeLedgerHook` runs it (and a wall clock) only while
the run trains, validates at step 0 and every ``val_interval`` as the run
says, and records each validation's metrics beside the training cost spent
so far, and the step's batches by frame count (FLOPs differ between video
and image batches) and the settings that change a step's cost when a hook
schedules them (the ViT's ``mask_ratio`` and ``keep_rate``).
"""
import sys
import time
from collections import Counter

import psutil
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from smaug.registry import HOOKS

#: Module attributes that hooks may schedule and that change a step's FLOPs.
COST_SETTINGS = ('mask_ratio', 'keep_rate')


def process_tree_cpu():
    """CPU seconds (user + system) of this process, its children alive now
    and those it has already waited for.

    Returns:
        float: Seconds; only differences between two calls mean anything.
    """
    process = psutil.Process()
    times = process.cpu_times()
    seconds = times.user + times.system + times.children_user + \
        times.children_system
    for child in process.children(recursive=True):
        try:
            times = child.cpu_times()
        except psutil.NoSuchProcess:
            continue
        seconds += times.user + times.system
    return seconds


class PausableClocks:
    """A CPU clock (:func:`process_tree_cpu`) and a wall clock that count
    only between :meth:`start` and :meth:`stop`."""

    def __init__(self):
        self.cpu = self.wall = 0.0
        self._marks = None

    def start(self):
        """Count from now on."""
        self._marks = (process_tree_cpu(), time.perf_counter())

    def stop(self):
        """Stop counting (no-op when not counting)."""
        if self._marks is not None:
            cpu, wall = self._marks
            self.cpu += process_tree_cpu() - cpu
            self.wall += time.perf_counter() - wall
            self._marks = None


@HOOKS.register_module()
class ComputeLedgerHook(Hook):
    """Keep the training cost of a run apart from its validation passes.

    Attributes:
        clocks (PausableClocks): Training CPU and wall seconds so far.
        points (list[dict]): Per validation: ``step``, ``cpu_seconds``,
            ``wall_seconds`` (training so far) and the ``metrics``.
        batches (Counter): Training batches by frames per clip.
        cost_settings (set[tuple]): The ``(name, value)`` pairs of
            :data:`COST_SETTINGS` that the model's modules had over the
            steps; more than one value of a name means the cost of a step
            changed during the run.
    """

    priority = 'VERY_HIGH'

    def __init__(self):
        self.clocks = PausableClocks()
        self.points = []
        self.batches = Counter()
        self.cost_settings = set()

    def before_train(self, runner):
        """Validate the starting weights, then start the clocks."""
        runner.val_loop.run()
        self.clocks.start()

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None):
        """Count the batch by its frames per clip; note the cost settings
        the step ran with."""
        self.batches[len(data_batch['inputs'][0])] += 1
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        self.cost_settings.update(
            (name, getattr(module, name)) for module in model.modules()
            for name in COST_SETTINGS if hasattr(module, name))

    @property
    def constant_cost(self):
        """Whether every step ran with the same cost settings."""
        names = [name for name, _ in self.cost_settings]
        return len(names) == len(set(names))

    def before_val(self, runner):
        """Stop the clocks for the validation pass."""
        self.clocks.stop()

    def after_val_epoch(self, runner, metrics=None):
        """Record the validation and restart the clocks."""
        self.points.append(dict(step=runner.iter,
                                cpu_seconds=self.clocks.cpu,
                                wall_seconds=self.clocks.wall,
                                metrics=dict(metrics or {})))
        self.clocks.start()

    def after_train(self, runner):
        """Stop the clocks."""
        self.clocks.stop()


if __name__ == '__main__':
    sys.exit('compute_ledger.py is a module of table7_study.py, not a '
             'command: run python tools/analysis/table7_study.py --help')
