"""tools/data/compress_videos.py, run as a user runs it, on the sources real
corpora hold: two sources whose names differ only by extension, clips
recorded turned (a display matrix of 90, 180 and 270 degrees), an audio-only
file and an undecodable one. Nothing is overwritten, every output is
upright, the summary counts what is on disk, and a second run writes
nothing."""
import os
import subprocess
import sys
from types import SimpleNamespace

import av
import decord
import media_files
import pytest

TOOL = media_files.REPO_ROOT / 'tools' / 'data' / 'compress_videos.py'
# upright, a clip stored with the white quadrant top-left shows it here
UPRIGHT_CORNER = {90: 'top_right', 180: 'bottom_right', 270: 'bottom_left'}


def run_tool(src, dst):
    """Run the compressor on ``src`` (2 workers, short side 32) into
    ``dst``."""
    env = dict(os.environ, PYTHONPATH=str(media_files.REPO_ROOT))
    return subprocess.run(
        [sys.executable, str(TOOL), '--src', str(src), '--dst', str(dst),
         '--short-side', '32', '--fps', '4', '--workers', '2'],
        cwd=media_files.REPO_ROOT, env=env, capture_output=True, text=True,
        timeout=300)


@pytest.fixture(scope='module')
def compressed(tmp_path_factory):
    """Sources, then two runs of the tool on them (the outputs' modification
    times are taken between the runs)."""
    root = tmp_path_factory.mktemp('compress')
    src, dst = root / 'src', root / 'dst'
    media_files.write_video(src / 'clip.mov', num_frames=8)
    media_files.write_video(src / 'clip.avi', num_frames=16,
                            faststart=False)
    for rotate in UPRIGHT_CORNER:
        media_files.write_rotated_video(src / 'phone' / f'r{rotate}.mp4',
                                        rotate)
    media_files.write_video(src / 'plain.mkv', faststart=False)
    media_files.write_audio_only(src / 'voice.mp4')
    media_files.make_bad(src / 'garbage.avi', 'garbage')
    sources = {p: p.read_bytes() for p in src.rglob('*') if p.is_file()}
    first = run_tool(src, dst)
    mtimes = {p: p.stat().st_mtime_ns for p in dst.rglob('*') if p.is_file()}
    second = run_tool(src, dst)
    return SimpleNamespace(src=src, dst=dst, sources=sources, first=first,
                           second=second, mtimes=mtimes)


def failures(run):
    """The failure lines a run printed, by source."""
    return dict(line.split(': ', 1) for line in run.stdout.splitlines())


def test_sources_sharing_an_output_name_are_both_kept(compressed):
    assert compressed.first.returncode == 1, compressed.first.stderr
    failed = failures(compressed.first)
    assert 'shares the output clip.mp4 with clip.mov' in failed['clip.avi']
    assert 'shares the output clip.mp4 with clip.avi' in failed['clip.mov']
    # neither overwrites the other: the one name annotations give is unused
    assert not (compressed.dst / 'clip.mp4').exists()
    assert all(p.read_bytes() == data
               for p, data in compressed.sources.items())


@pytest.mark.parametrize('rotate', sorted(UPRIGHT_CORNER))
def test_rotated_sources_come_out_upright(compressed, rotate):
    out = compressed.dst / 'phone' / f'r{rotate}.mp4'
    reader = decord.VideoReader(str(out))
    frame = reader[len(reader) - 1].asnumpy()
    shape = (64, 32) if rotate in (90, 270) else (32, 64)
    assert frame.shape[:2] == shape
    assert media_files.white_quadrant(frame) == UPRIGHT_CORNER[rotate]
    with av.open(str(out)) as container:  # the turn is in the pixels
        assert next(container.decode(video=0)).rotation == 0


def test_audio_only_source_fails_with_a_reason(compressed):
    failed = failures(compressed.first)
    assert failed['voice.mp4'] == 'failed: no video stream (streams: audio)'
    assert failed['garbage.avi'].startswith('failed: ')
    assert 'Traceback' not in compressed.first.stderr
    assert not (compressed.dst / 'voice.mp4').exists()


def test_summary_counts_what_is_on_disk(compressed):
    written = sorted(str(p.relative_to(compressed.dst))
                     for p in compressed.dst.rglob('*') if p.is_file())
    assert written == ['phone/r180.mp4', 'phone/r270.mp4', 'phone/r90.mp4',
                       'plain.mp4']
    summary = compressed.first.stderr.strip().splitlines()[-1]
    assert summary == '8 sources: 4 compressed, 0 already done, 4 failed'
    assert len(failures(compressed.first)) == 4


def test_second_run_writes_nothing(compressed):
    summary = compressed.second.stderr.strip().splitlines()[-1]
    assert summary == '8 sources: 0 compressed, 4 already done, 4 failed'
    assert compressed.second.returncode == 1
    assert compressed.second.stdout == compressed.first.stdout
    assert {p: p.stat().st_mtime_ns for p in compressed.dst.rglob('*')
            if p.is_file()} == compressed.mtimes
