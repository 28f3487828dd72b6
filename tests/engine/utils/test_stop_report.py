"""The launcher's exit status and last line (smaug/engine/utils/
stop_report.py): "saved, requeue me" only when every process of the machine
saved for the same signal, in the attempt that ran last."""
import pytest

from smaug.engine.utils import stop_report

RESUME = 'tools/dist_train.sh cfg.py 2 --resume'


@pytest.fixture
def report(tmp_path, monkeypatch):
    """A report folder, as tools/dist_train.sh makes it; returns a function
    ``write(attempt, local_rank, status, line)`` that reports a stop."""
    monkeypatch.setenv(stop_report.REPORT_ENV, str(tmp_path))

    def write(attempt, local_rank, status, line):
        monkeypatch.setenv('TORCHELASTIC_RESTART_COUNT', str(attempt))
        monkeypatch.setenv('LOCAL_RANK', str(local_rank))
        stop_report.report_start(tmp_path / 'work')
        stop_report.report_stop(status, line)

    return write


def test_every_process_saved_for_the_signal(report, tmp_path):
    for rank in range(2):
        report(0, rank, 143, 'saved it: resume with: {resume}')
    assert stop_report.summarize(str(tmp_path), 2, 1, RESUME) == (
        143, f'saved it: resume with: {RESUME}')


def test_one_process_did_not_save(report, tmp_path):
    report(0, 1, 143, 'saved it')
    assert stop_report.summarize(str(tmp_path), 2, 1, RESUME) == (
        1, 'saved it')


def test_the_latest_attempt_counts(report, tmp_path):
    for rank in range(2):
        report(0, rank, 143, 'saved it')
    report(1, 0, 1, 'rank 1 is stuck')
    assert stop_report.summarize(str(tmp_path), 2, 1, RESUME) == (
        1, 'rank 1 is stuck')
    assert stop_report.summarize(str(tmp_path), 2, 0, RESUME) == (0, None)


def test_a_failure_without_a_report_names_the_latest_checkpoint(
        report, tmp_path, monkeypatch):
    report(0, 0, 1, 'attempt 0 stopped')
    monkeypatch.setenv('TORCHELASTIC_RESTART_COUNT', '1')
    stop_report.report_start(tmp_path / 'work')  # attempt 1: no report
    (tmp_path / 'work').mkdir()
    (tmp_path / 'work' / 'last_checkpoint').write_text('/w/iter_4.pth')
    assert stop_report.summarize(str(tmp_path), 2, 1, RESUME) == (
        1, 'training failed (torchrun exit status 1; the error is above); '
        'the latest checkpoint is /w/iter_4.pth; once the cause is fixed, '
        f'resume with: {RESUME}')
