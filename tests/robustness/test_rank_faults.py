"""A rank that dies and a rank that hangs, in tools/dist_train.sh with 2 gloo
processes training the shrunk demo config (tests/fixtures/cluster_runs.py).

One launch with ``MAX_RESTARTS=1`` meets both faults: rank 1 kills itself
with SIGKILL after iteration 3 (as the OOM killer would); torchrun restarts
both processes, which resume from iter_2.pth by themselves; in that second
attempt rank 1 stops itself with SIGSTOP after iteration 5 (a hung process);
rank 0's watchdog stops the run within its timeout, naming rank 1, its host
and pid, and no restart is left, so the launcher exits 1 with that line and
the command that resumes. That command then finishes the run, which must
equal the uninterrupted one bit for bit.

torchrun gives a process it stops 30 s (its shutdown grace, fixed in
torch 2.14 for a failed group) before it kills it with SIGKILL, and a
stopped process cannot end sooner: that wait is torchrun's, not the
watchdog's, and the test spares it by continuing rank 1 (SIGCONT, as when
a stuck read returns) once the watchdog has spoken; rank 1 then finds rank 0
gone and ends too.
"""
import os
import re
import shlex
import signal
import socket
import time
from types import SimpleNamespace

import pytest
from cluster_runs import (WATCHDOG_TIMEOUT, Launch, assert_same_run,
                          dist_train, launcher_env)
from killed_runs import read_steps
from run_recorder import KILL_ENV, STOP_ENV

from smaug.engine.utils.rank_progress import process_state

HOST = socket.gethostname()


def wait_for(condition, launch, what, longest=600):
    """Poll ``condition()`` until it is true; return when (monotonic).

    Args:
        condition (Callable[[], bool]): What to wait for.
        launch (Launch): The launch; it must not end first.
        what (str): The awaited event, for the failure message.
        longest (float): Seconds to wait at most.
    """
    deadline = time.monotonic() + longest
    while not condition():
        assert launch.process.poll() is None, \
            f'the launch ended before {what}: {launch.text()[-3000:]}'
        assert time.monotonic() < deadline, f'no {what}'
        time.sleep(0.05)
    return time.monotonic()


def is_stopped(pid_file):
    """Whether the process named in ``pid_file`` is stopped (SIGSTOP).

    Args:
        pid_file (Path): A ``pid.rank<R>`` file of a work_dir.
    """
    return pid_file.exists() and process_state(
        int(pid_file.read_text())).startswith('stopped')


@pytest.fixture(scope='module')
def faulted_run(synthetic_workspace, cluster_config, cluster_reference,
                tmp_path_factory):
    """The launch with both faults, then the resume its last line gives."""
    folder = tmp_path_factory.mktemp('rank_faults')
    work_dir = folder / 'work'
    launch = dist_train(synthetic_workspace, cluster_config, work_dir, 2,
                        folder / 'faults.log', MAX_RESTARTS='1',
                        **{KILL_ENV: '3:1:0', STOP_ENV: '5:1:1'})
    stopped = wait_for(lambda: is_stopped(work_dir / 'pid.rank1'), launch,
                       'SIGSTOP of rank 1')
    explained = wait_for(lambda: 'its process is stopped' in launch.text(),
                         launch, "the watchdog's line")
    os.kill(int((work_dir / 'pid.rank1').read_text()), signal.SIGCONT)
    status = launch.wait()
    ended = time.monotonic()
    line, line_status = launch.launcher_line()
    resumed = Launch(shlex.split(line.split('resume with: ')[1]),
                     synthetic_workspace, folder / 'resumed.log',
                     launcher_env())
    assert resumed.wait() == 0, resumed.text()[-3000:]
    return SimpleNamespace(
        work_dir=work_dir, status=status, line=line, line_status=line_status,
        log=launch.text(), resumed_log=resumed.text(),
        reference=cluster_reference(), seconds_to_explain=explained - stopped,
        seconds_to_end=ended - stopped)


def test_a_killed_rank_restarts_the_group_which_resumes(faulted_run):
    first, restart = faulted_run.log.split('torchrun restart 1 of 1: ')
    # the survivor named the dead rank before torchrun restarted the group
    death = re.search(r'Rank 0 on host \S+ stopped at iteration \d \(a '
                      r'collective operation failed: .*\): rank 1 on host '
                      rf'{HOST} \(pid \d+\) does not run: its process is '
                      r'gone .*; it was last seen (in|after) iteration (\d)',
                      first)
    assert death, first[-3000:]
    assert int(death.group(2)) in (2, 3)  # its records were up to date
    assert restart.startswith(
        f'resuming from {faulted_run.work_dir / "iter_2.pth"}, the latest '
        'checkpoint of the work_dir.')
    # the restarted rank 0 took the work_dir's lock again: not refused
    assert 'is in use by another training' not in restart
    # the annotation stores of the first attempt serve the restarted one
    assert 'Wrote the annotation store' not in restart
    # iteration 3 (not saved) trained again, from iter_2.pth
    for name in ('steps.jsonl', 'steps.rank1.jsonl'):
        iterations = [step['iter'] for step in
                      read_steps(faulted_run.work_dir, name)]
        assert iterations[:5] == [1, 2, 3, 3, 4]


def test_a_hung_rank_stops_the_others_naming_it(faulted_run):
    print(f'SIGSTOP of rank 1 -> watchdog line: '
          f'{faulted_run.seconds_to_explain:.1f} s, -> launcher exit: '
          f'{faulted_run.seconds_to_end:.1f} s')
    assert faulted_run.status == faulted_run.line_status == 1
    work_dir = faulted_run.work_dir
    assert re.fullmatch(
        r'Rank 0 on host \S+ stopped at iteration 5 \(no progress for \d+ '
        rf's; timeout {WATCHDOG_TIMEOUT} s\): rank 1 on host {HOST} \(pid '
        r'\d+\) does not run: its process is stopped \(SIGSTOP or a '
        r'debugger\); it was last seen .*; look at it on .*\. Nothing saved '
        rf'is lost: the latest checkpoint is {work_dir / "iter_4.pth"}; '
        r'tools/dist_train.sh restarts the processes while MAX_RESTARTS '
        r'allows, or resume with: \S+/tools/dist_train.sh \S+ 2 --work-dir '
        rf'{work_dir} --resume', faulted_run.line), faulted_run.line
    assert faulted_run.seconds_to_explain < WATCHDOG_TIMEOUT
    assert 'resuming epoch 2 after its first 0 batches' not in \
        faulted_run.resumed_log
    assert f'Auto resumed from the latest checkpoint ' \
        f'{work_dir / "iter_4.pth"}' in faulted_run.resumed_log


def test_the_resumed_run_equals_the_uninterrupted_one(faulted_run):
    assert_same_run(faulted_run.work_dir, faulted_run.reference)
