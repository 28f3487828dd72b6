"""Writes and logs the evaluation protocol of every test run."""
import json
import logging
import os.path as osp

from mmengine.hooks import Hook
from mmengine.logging import print_log

from smaug.evaluation.protocol_record import (build_protocol_record,
                                              paper_comparison, protocol_lines)
from smaug.registry import HOOKS


@HOOKS.register_module()
class ProtocolRecordHook(Hook):
    """Record what a test run was evaluated on, and how
    (:mod:`smaug.evaluation.protocol_record`).

    Before testing, process 0 writes ``<log_dir>/protocol.json`` (the
    run's ``work_dir/<timestamp>`` folder) and logs it in a few lines; a
    protocol that differs from the paper's is logged as a warning. After
    testing it adds the metrics to the file and logs the paper's numbers
    beside the run's when the config has a ``paper_reference`` with
    numbers. ``default_runtime.py`` registers it for every config
    (``default_hooks=dict(protocol_record=None)`` turns it off).

    Args:
        file_name (str): The record's file name in the log folder.
            Defaults to 'protocol.json'.
    """
    priority = 'LOW'

    def __init__(self, file_name='protocol.json'):
        self.file_name = file_name
        self.record = None

    def before_test(self, runner) -> None:
        """Build, write and log the record."""
        if runner.rank != 0:
            return
        self.record = build_protocol_record(runner.cfg,
                                            runner.test_dataloader.dataset)
        path = self._write(runner)
        lines = protocol_lines(self.record) + [f'  written to {path}']
        print_log('\n'.join(lines), logger='current',
                  level=logging.WARNING if self.record['differences'] else
                  logging.INFO)

    def after_test_epoch(self, runner, metrics=None) -> None:
        """Add the metrics; log the paper's numbers beside them."""
        if runner.rank != 0 or self.record is None:
            return
        self.record['metrics'] = dict(metrics or {})
        self._write(runner)
        table = paper_comparison(self.record, self.record['metrics'])
        if table:
            print_log(table, logger='current')

    def _write(self, runner):
        """Write the record as JSON; its path."""
        path = osp.join(runner.log_dir, self.file_name)
        with open(path, 'w', encoding='utf-8') as file:
            json.dump(self.record, file, indent=2)
        return path
