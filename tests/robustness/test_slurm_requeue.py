"""The Slurm batch script of docs/reliability.md, run as written with a
stand-in for Slurm (tests/fixtures/fake_slurm: ``srun`` starts the tasks
with Slurm's variables, ``scontrol`` records a requeue; this machine has no
Slurm daemons, and the tests may not need them), 2 gloo tasks training the
shrunk demo config: SIGUSR1 to every process of the job step (what
``--signal=USR1@120`` does two minutes before the time limit) makes the
training save and exit 138, the script requeues the job, and the requeued
job (``SLURM_RESTART_COUNT=1``) resumes by itself and ends as the
uninterrupted run does, bit for bit."""
import os
import re
import signal
from pathlib import Path

from cluster_runs import (REPO_ROOT, Launch, assert_same_run, free_port,
                          launcher_env)
from run_recorder import PAUSE_ENV, let_continue, wait_until_paused

FAKE_SLURM = REPO_ROOT / 'tests' / 'fixtures' / 'fake_slurm'
STOP_AFTER = 4


def batch_script():
    """The batch script of docs/reliability.md (the ``bash`` block of its
    Slurm section)."""
    text = (REPO_ROOT / 'docs' / 'reliability.md').read_text()
    section = text.split('## Slurm: stop, requeue, resume', 1)[1]
    return re.search(r'```bash\n(.*?)```', section, re.DOTALL).group(1)


def children(pid):
    """The processes whose parent is ``pid``."""
    found = []
    for entry in Path('/proc').iterdir():
        try:
            stat = (entry / 'stat').read_text()
        except (OSError, ValueError):
            continue
        if entry.name.isdigit() and int(stat.rsplit(')', 1)[1].split()[1]) \
                == pid:
            found.append(int(entry.name))
    return found


def job_step(batch_pid):
    """Every process of the job step: the tasks ``srun`` started and their
    dataloader workers (what Slurm signals), not the batch shell."""
    pending, step = children(batch_pid), []
    while pending:
        pid = pending.pop()
        pending.extend(children(pid))
        if 'srun' not in Path(f'/proc/{pid}/cmdline').read_text():
            step.append(pid)
    return [pid for pid in step if 'python' in
            Path(f'/proc/{pid}/cmdline').read_text()]


def test_a_requeued_job_resumes_by_itself(synthetic_workspace,
                                          cluster_config, cluster_reference,
                                          tmp_path):
    submit = tmp_path / 'submit'  # the folder sbatch runs from
    submit.mkdir()
    for name, target in (('data', synthetic_workspace / 'data'),
                         ('tools', REPO_ROOT / 'tools')):
        (submit / name).symlink_to(target)
    script = submit / 'train_requeue.sbatch'
    script.write_text(batch_script())
    work_dir = tmp_path / 'work'
    requests = tmp_path / 'scontrol_requests'
    env = launcher_env(
        PATH=f'{FAKE_SLURM}{os.pathsep}{os.environ["PATH"]}',
        SLURM_JOB_ID='4242', FAKE_SLURM_REQUESTS=str(requests),
        PARTITION='cpu', CONFIG=str(cluster_config), WORK_DIR=str(work_dir),
        GPUS='2', GPUS_PER_NODE='2', CPUS_PER_TASK='1',
        MASTER_PORT=str(free_port()))

    job = Launch(['bash', str(script)], submit, tmp_path / 'job.log',
                 dict(env, **{PAUSE_ENV: str(STOP_AFTER)}))
    wait_until_paused(work_dir, job.process)
    for pid in job_step(job.process.pid):
        os.kill(pid, signal.SIGUSR1)
    let_continue(work_dir)
    assert job.wait() == 138, job.text()[-3000:]
    assert requests.read_text() == 'requeue 4242\n'
    checkpoint = work_dir / f'iter_{STOP_AFTER}.pth'
    assert f'SIGUSR1 received: stopped after iteration {STOP_AFTER} ' \
        f'(epoch 1), saved {checkpoint}' in job.text()

    requeued = Launch(['bash', str(script)], submit,
                      tmp_path / 'requeued.log',
                      dict(env, SLURM_RESTART_COUNT='1'))
    assert requeued.wait() == 0, requeued.text()[-3000:]
    assert f'Slurm requeue 1: resuming from {checkpoint}' in requeued.text()
    assert requests.read_text() == 'requeue 4242\n'
    assert_same_run(work_dir, cluster_reference())
