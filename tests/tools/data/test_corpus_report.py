"""The availability report of check_corpus.py and the start-up log line of
the training datasets that reads it."""
import hashlib
import json
import sys
from pathlib import Path

import media_files
from log_lines import LogLines

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / 'tools' / 'data'))

import check_corpus  # noqa: E402

from smaug.datasets import VideoTextPretrainDataset  # noqa: E402


def make_corpus(root):
    """Three good videos, one missing, one empty; return the entries."""
    entries = []
    for i in range(3):
        media_files.write_video(root / 'videos' / f'ok{i}.mp4')
        entries.append({'video': f'ok{i}.mp4', 'caption': 'x'})
    for kind in ('missing', 'empty'):
        media_files.make_bad(root / 'videos' / f'{kind}.mp4', kind)
        entries.append({'video': f'{kind}.mp4', 'caption': 'x'})
    (root / 'ann.json').write_text(json.dumps(entries))
    return entries


def start_up_lines(root, prefix='videos'):
    """The availability lines a training dataset logs when it starts."""
    log = LogLines()
    VideoTextPretrainDataset(ann_file='ann.json', data_root=str(root),
                             data_prefix=dict(video=prefix))
    log.count('')
    return [line for line in log.lines if 'ann.json' in line and (
        'media' in line or 'availability' in line)]


def test_report_written_read_back_and_logged(tmp_path):
    make_corpus(tmp_path)
    assert check_corpus.main(['ann.json', '--data-root', str(tmp_path),
                              '--video-prefix', 'videos', '--workers', '1',
                              '--num-frames', '4']) == 1
    report = json.loads((tmp_path / 'ann.json.availability.json').read_text())
    videos = tmp_path / 'videos'
    assert report['annotation_sha256'] == hashlib.sha256(
        (tmp_path / 'ann.json').read_bytes()).hexdigest()
    assert report['media_roots']['video'] == str(videos)
    assert (report['mode'], report['entries'], report['files']) == (
        'decode', 5, 5)
    assert (report['present'], report['missing'], report['readable'],
            report['unreadable']) == (4, 1, 3, 1)
    assert (report['present_fraction'], report['readable_fraction']) == (
        0.8, 0.6)
    assert report['missing_files'] == [str(videos / 'missing.mp4')]
    assert report['unreadable_files'][0].startswith(
        str(videos / 'empty.mp4') + ': ')
    [line] = start_up_lines(tmp_path)
    assert line.startswith(f'{tmp_path / "ann.json"}: 4 of 5 media files '
                           'present (80.0%), 3 readable (60.0%), checked ')

    assert check_corpus.main(['ann.json', '--data-root', str(tmp_path),
                              '--video-prefix', 'videos', '--workers', '1',
                              '--stat-only']) == 1
    report = json.loads((tmp_path / 'ann.json.availability.json').read_text())
    assert (report['mode'], report['present'], report['readable']) == (
        'stat', 4, None)
    [line] = start_up_lines(tmp_path)
    assert '4 of 5 media files present (80.0%) (presence only' in line


def test_stale_missing_or_foreign_report_is_said(tmp_path):
    entries = make_corpus(tmp_path)
    command = (f'python tools/data/check_corpus.py {tmp_path / "ann.json"} '
               f'--data-root {tmp_path} --video-prefix videos')
    [line] = start_up_lines(tmp_path)
    assert 'media availability unknown (no report' in line
    assert command in line
    check_corpus.main(['ann.json', '--data-root', str(tmp_path),
                       '--video-prefix', 'videos', '--stat-only'])
    [line] = start_up_lines(tmp_path, prefix='elsewhere')
    assert 'checked the media under' in line
    (tmp_path / 'ann.json').write_text(json.dumps(entries[:4]))
    [line] = start_up_lines(tmp_path)
    assert 'is stale: the annotation file changed since it was checked' \
        in line
    assert command in line
