"""Naming the rank that holds the others up, from the records of the
progress board: a rank whose record stopped changing (its process stopped,
gone), one behind the others (stuck loading its data), or none."""
import signal
import socket
import subprocess
import sys

from smaug.engine.utils.rank_progress import (describe_step, find_holdups,
                                              process_state, progress_step)

HOST = socket.gethostname()


class RecordedBoard:
    """A progress board whose two readings are given.

    Args:
        readings (list[list[dict | None]]): What each ``read()`` returns.
        rank (int): The rank that reads.
    """

    def __init__(self, readings, rank=0):
        self.readings, self.rank, self.host = iter(readings), rank, HOST
        self.world_size = 3

    def read(self):
        return next(self.readings)


def record(beat, step, pid=4242, host='gpu7'):
    return dict(host=host, pid=pid, beat=beat, step=step, validating=False)


def test_a_rank_stuck_loading_its_data_is_named():
    # rank 2 finished iteration 5 and never started 6; ranks 0, 1 wait in 6
    first = [record(1, 11), record(1, 11), record(1, 10)]
    second = [record(2, 11), record(2, 11), record(2, 10, pid=77)]
    assert find_holdups(RecordedBoard([first, second]), 0) == (
        'rank 2 on host gpu7 (pid 77) is stuck after iteration 5, before '
        'the next (loading its data: a stuck file system read? a dead '
        'mount?); look at it with py-spy dump --pid 77 on gpu7')


def test_a_rank_whose_record_stopped_is_named_with_its_state():
    sleeper = subprocess.Popen([sys.executable, '-c',
                                'import time; time.sleep(60)'])
    try:
        sleeper.send_signal(signal.SIGSTOP)
        while not process_state(sleeper.pid).startswith('stopped'):
            pass
        first = [record(5, 13), record(5, 13),
                 record(4, 11, pid=sleeper.pid, host=HOST)]
        second = [record(6, 13), record(6, 13),
                  record(4, 11, pid=sleeper.pid, host=HOST)]
        found = find_holdups(RecordedBoard([first, second]), 0)
    finally:
        sleeper.kill()
        sleeper.wait()
    assert found.startswith(
        f'rank 2 on host {HOST} (pid {sleeper.pid}) does not run: its '
        'process is stopped (SIGSTOP or a debugger); it was last seen in '
        'iteration 6')
    assert process_state(sleeper.pid).startswith('gone')


def test_a_rank_the_second_reading_missed_is_named_from_the_first():
    # the store did not answer in time for rank 2's second record
    first = [record(5, 13), record(5, 13), record(4, 11, pid=77)]
    second = [record(6, 13), record(6, 13), None]
    assert find_holdups(RecordedBoard([first, second]), 0).startswith(
        'rank 2 on host gpu7 (pid 77) does not run: its process is not '
        'responding (is gpu7 up?); it was last seen in iteration 6')


def test_a_rank_never_read_has_no_record():
    first = [record(5, 13), record(5, 13), None]
    second = [record(6, 13), record(6, 13), None]
    assert find_holdups(RecordedBoard([first, second]), 0).startswith(
        'rank 2 has no record in the rendezvous store')


def test_no_rank_behind_names_the_possible_causes():
    step = progress_step(7, finished=False)
    readings = [[record(1, step)] * 3, [record(2, step)] * 3]
    assert find_holdups(RecordedBoard(readings), 0).startswith(
        'every rank is in iteration 7 and running: one of them is stuck in '
        'it (a checkpoint written to a file system that hangs?) or a '
        'collective operation did not complete')


def test_a_step_in_words():
    assert describe_step(progress_step(5, finished=False)) == \
        'in iteration 5'
    assert describe_step(progress_step(5, finished=True), validating=True) \
        == 'validating after iteration 5'
