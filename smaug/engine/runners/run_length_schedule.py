"""Fit the parameter schedulers to the length of the run.

The schedules of configs/_base_/schedules/ leave out the ``end`` of their
last scheduler: mmengine then ends it where the training loop ends, so
that the cosine follows the run whatever sets its length
(``--cfg-options max_epochs=2`` or ``train_cfg.max_epochs=2``). Two cases
remain, in the scheduler's own unit (epochs or iterations, when it is that
of the run):

- a scheduler that begins at or after the end of the run (the cosine after
  a 1-epoch warm-up, in a 1-epoch run) would never act, and mmengine fails
  on it ("end should be larger than begin"): it is dropped, with a warning;
- a scheduler whose ``end`` is given and lies past the end of the run would
  be cut off part-way (a cosine never reaching its minimum): refused.
"""
import logging

from mmengine.logging import print_log

from smaug.config import ConfigError


def run_length(train_cfg):
    """The length of a run and its unit.

    Args:
        train_cfg (dict | None): The config's ``train_cfg``.

    Returns:
        tuple[int, bool] | None: ``max_epochs`` and True, or ``max_iters``
        and False; None when the loop gives neither.
    """
    train_cfg = train_cfg or {}
    if 'max_epochs' in train_cfg:
        return train_cfg['max_epochs'], True
    if 'max_iters' in train_cfg:
        return train_cfg['max_iters'], False
    return None


def fit_schedule_to_run(cfg):
    """Drop the schedulers that begin after the run, refuse those that end
    after it.

    Args:
        cfg (mmengine.Config): The full config; its ``param_scheduler`` is
            replaced when a scheduler is dropped.

    Raises:
        ConfigError: A scheduler's ``end`` lies past the end of the run.
    """
    schedulers = cfg.get('param_scheduler')
    length = run_length(cfg.get('train_cfg'))
    if isinstance(schedulers, dict) and 'type' in schedulers:
        schedulers = [schedulers]
    if length is None or not isinstance(schedulers, list):
        return  # none, or one list per optimizer
    end, by_epoch = length
    unit = 'max_epochs' if by_epoch else 'max_iters'
    kept = []
    for index, scheduler in enumerate(schedulers):
        if not isinstance(scheduler, dict) or scheduler.get(
                'by_epoch', True) != by_epoch:
            kept.append(scheduler)
        elif scheduler.get('begin', 0) >= end:
            print_log(
                f'param_scheduler[{index}] ({scheduler["type"]}) begins at '
                f'{scheduler.get("begin", 0)}, after the run ({unit}={end}) '
                'ends: left out.', logger='current', level=logging.WARNING)
        elif scheduler.get('end', end) > end:
            raise ConfigError(
                f'{cfg.filename or "the config"}: param_scheduler[{index}]'
                f'.end={scheduler["end"]} lies past the end of the run '
                f'(train_cfg.{unit}={end}), which would cut the schedule '
                'off; leave out `end` to end it with the run.')
        else:
            kept.append(scheduler)
    if len(kept) < len(schedulers):
        cfg.param_scheduler = kept
