"""What the training processes tell their launcher when they stop.

torchrun ends with status 1 and its own traceback whenever it stops, also
when every training process saved a checkpoint for SIGTERM and exited with
143: a job script that requeues on 143 never would. So
``tools/dist_train.sh`` gives its processes a folder (the environment
variable ``SMAUG_STOP_REPORT``), a process that stops for a reason it knows
writes ``stop.<attempt>.<local rank>`` there (its exit status, then one
line a person acts on), and once torchrun has ended the launcher runs this
file as a script: it prints the line and exits with

- the status of the processes (143 for SIGTERM, 138 for SIGUSR1) when every
  process of this machine stopped for the same signal and saved (the latest
  torchrun attempt: ``TORCHELASTIC_RESTART_COUNT``);
- torchrun's status otherwise.

The line may hold ``{resume}``, which becomes the launcher's command with
``--resume``; after a failure that left no report the script names the
latest checkpoint of the work_dir (``work_dir`` in the folder, written by
:func:`report_start`) and that command. Only the standard library is
used, so that the launcher runs this file without importing torch.
"""
import os
import os.path as osp
import signal
import sys

REPORT_ENV = 'SMAUG_STOP_REPORT'
SIGNAL_STATUSES = (138, 143)  # 128 + SIGUSR1, 128 + SIGTERM
WORK_DIR_FILE = 'work_dir'
ATTEMPT_FILE = 'attempt'


def _write(name, text):
    """Write ``text`` to the file ``name`` of the report folder, atomically
    (nothing without a launcher's folder).

    Args:
        name (str): The file name.
        text (str): Its content.
    """
    folder = os.environ.get(REPORT_ENV)
    if not folder or not osp.isdir(folder):
        return
    path = osp.join(folder, name)
    partial = f'{path}.{os.getpid()}.partial'
    with open(partial, 'w', encoding='utf-8') as f:
        f.write(text)
    os.replace(partial, path)


def _attempt():
    """This process's torchrun attempt (0, then 1 after a restart...)."""
    return os.environ.get('TORCHELASTIC_RESTART_COUNT', '0')


def report_stop(status, line, final=False):
    """Tell the launcher that this process stops, and why.

    Args:
        status (int): Its exit status.
        line (str): What a person does about it, on one line (``{resume}``
            stands for the command that resumes).
        final (bool): No restart would change it (e.g. another training
            holds the work_dir): under torchrun, this process's parent,
            ask it to end the job (SIGTERM) rather than restart it.
    """
    local_rank = os.environ.get('LOCAL_RANK', '0')
    _write(f'stop.{_attempt()}.{local_rank}',
           f'{status}\n{" ".join(line.split())}\n')
    if final and 'TORCHELASTIC_RUN_ID' in os.environ:
        os.kill(os.getppid(), signal.SIGTERM)


def report_start(work_dir):
    """Tell the launcher that a training attempt started, and its work_dir
    (for the latest checkpoint).

    Args:
        work_dir (str): The run's work_dir.
    """
    _write(ATTEMPT_FILE, _attempt())
    _write(WORK_DIR_FILE, osp.abspath(work_dir))


def _read(folder, name):
    """The content of a file of the report folder ('' if absent).

    Args:
        folder (str): The report folder.
        name (str): The file name.
    """
    try:
        with open(osp.join(folder, name), encoding='utf-8') as f:
            return f.read()
    except FileNotFoundError:
        return ''


def read_stops(folder):
    """The stops reported in the latest attempt that started.

    Args:
        folder (str): The report folder.

    Returns:
        list[tuple[int, str]]: ``(status, line)`` by local rank.
    """
    prefix = f'stop.{_read(folder, ATTEMPT_FILE) or 0}.'
    stops = []
    for name in sorted(os.listdir(folder)):
        if name.startswith(prefix) and name[len(prefix):].isdigit():
            status, line = _read(folder, name).split('\n')[:2]
            stops.append((int(name[len(prefix):]), int(status), line))
    return [(status, line) for _, status, line in sorted(stops)]


def latest_checkpoint(folder):
    """The checkpoint ``last_checkpoint`` of the reported work_dir names.

    Args:
        folder (str): The report folder.

    Returns:
        str | None: Its path, or None if there is none (yet).
    """
    work_dir = _read(folder, WORK_DIR_FILE)
    return _read(work_dir, 'last_checkpoint').strip() or None \
        if work_dir else None


def summarize(folder, processes, torchrun_status, resume_command):
    """The launcher's exit status and last line.

    Args:
        folder (str): The report folder.
        processes (int): Training processes on this machine.
        torchrun_status (int): torchrun's exit status.
        resume_command (str): The launcher's command with ``--resume``.

    Returns:
        tuple[int, str | None]: The status, and the line to print (None
        after a success).
    """
    if torchrun_status == 0:
        return 0, None
    stops = read_stops(folder)
    statuses = {status for status, _ in stops}
    lines = [line.replace('{resume}', resume_command) for _, line in stops]
    if len(stops) == processes and len(statuses) == 1 and \
            statuses <= set(SIGNAL_STATUSES):
        return statuses.pop(), lines[0]
    if stops:
        return torchrun_status, lines[0]
    checkpoint = latest_checkpoint(folder)
    where = (f'the latest checkpoint is {checkpoint}; once the cause is '
             f'fixed, resume with: {resume_command}' if checkpoint else
             'no checkpoint was saved')
    return torchrun_status, (f'training failed (torchrun exit status '
                             f'{torchrun_status}; the error is above); '
                             f'{where}')


def main(argv):
    """Print the launcher's last line and return its exit status.

    Args:
        argv (list[str]): The report folder, the processes on this machine,
            torchrun's exit status, the command that resumes.
    """
    folder, processes, torchrun_status, resume_command = argv
    status, line = summarize(folder, int(processes), int(torchrun_status),
                             resume_command)
    if line:
        print(f'dist_train.sh: {line} (exit status {status})',
              file=sys.stderr)
    return status


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
