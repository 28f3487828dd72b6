"""compress_videos.py (size, fps, no audio, resume, atomic output) and
check_corpus.py (lists every unreadable file, exit code; the integrity
manifest and --verify)."""
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import av
import decord
import numpy as np
import pytest

import media_files

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / 'tools' / 'data'))

import check_corpus  # noqa: E402
import compress_videos  # noqa: E402


def write_source(path, width=160, height=96, fps=24, seconds=2):
    """A noisy video with an audio track."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with av.open(str(path), 'w') as container:
        video = container.add_stream('libx264', rate=fps)
        video.width, video.height, video.pix_fmt = width, height, 'yuv420p'
        audio = container.add_stream('aac', rate=16000)
        rng = np.random.default_rng(0)
        for i in range(fps * seconds):
            img = rng.integers(0, 255, (height, width, 3), dtype=np.uint8)
            container.mux(video.encode(
                av.VideoFrame.from_ndarray(img, format='rgb24')))
        for i in range(seconds * 16):
            frame = av.AudioFrame.from_ndarray(
                np.zeros((1, 1024), np.float32), format='fltp',
                layout='mono')
            frame.sample_rate, frame.pts = 16000, i * 1024
            container.mux(audio.encode(frame))
        container.mux(video.encode())
        container.mux(audio.encode())
    return path


def test_output_size():
    assert compress_videos.output_size(640, 360, 224) == (398, 224)
    assert compress_videos.output_size(360, 640, 224) == (224, 398)
    assert compress_videos.output_size(100, 60, 224) == (100, 60)  # no upscale
    assert compress_videos.output_size(101, 61, 224) == (100, 60)  # even


def test_compress_resume_and_failures(tmp_path, capsys):
    src, dst = tmp_path / 'src', tmp_path / 'dst'
    write_source(src / 'a' / 'clip.mkv')
    write_source(src / 'b.mp4', width=96, height=160, seconds=1)
    (src / 'broken.avi').write_bytes(b'not a video')
    (src / 'notes.txt').write_text('ignored')
    args = ['--src', str(src), '--dst', str(dst), '--short-side', '64',
            '--fps', '3', '--workers', '2', '--failed-list',
            str(tmp_path / 'failed.txt')]
    assert compress_videos.main(args) == 1
    err = capsys.readouterr().err
    assert '2 compressed, 0 already done, 1 failed' in err
    assert (tmp_path / 'failed.txt').read_text().startswith('broken.avi: ')
    reader = decord.VideoReader(str(dst / 'a' / 'clip.mp4'))
    assert reader[0].shape == (64, 106, 3)
    assert len(reader) == 6 and reader.get_avg_fps() == 3
    assert decord.VideoReader(str(dst / 'b.mp4'))[0].shape == (106, 64, 3)
    with av.open(str(dst / 'a' / 'clip.mp4')) as container:
        assert [s.type for s in container.streams] == ['video']
    assert sorted(p.name for p in dst.rglob('*')) == ['a', 'b.mp4',
                                                      'clip.mp4']
    # resume: good outputs are skipped, a broken output is redone
    (dst / 'b.mp4').write_bytes(b'')
    mtime = (dst / 'a' / 'clip.mp4').stat().st_mtime_ns
    assert compress_videos.main(args) == 1
    assert '1 compressed, 1 already done, 1 failed' in capsys.readouterr().err
    assert (dst / 'a' / 'clip.mp4').stat().st_mtime_ns == mtime
    assert len(decord.VideoReader(str(dst / 'b.mp4'))) == 3


def test_compress_refuses_an_output_inside_the_sources(tmp_path, capsys):
    write_source(tmp_path / 'src' / 'a.mov', seconds=1)
    for dst in ('src', 'src/small'):
        with pytest.raises(SystemExit) as exc:
            compress_videos.main(['--src', str(tmp_path / 'src'), '--dst',
                                  str(tmp_path / dst)])
        assert exc.value.code == 2
        assert 'is inside --src' in capsys.readouterr().err
    with pytest.raises(SystemExit):
        compress_videos.main(['--src', str(tmp_path / 'nothing'), '--dst',
                              str(tmp_path / 'out')])
    assert 'nothing: no such folder' in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.rglob('*')) == ['a.mov', 'src']


def test_check_corpus_lists_every_unreadable_file(tmp_path, capsys):
    entries = []
    for i in range(3):
        media_files.write_video(tmp_path / 'videos' / f'ok{i}.mp4')
        entries.append({'video': f'ok{i}.mp4', 'caption': 'x'})
    for kind in ('missing', 'empty', 'truncated', 'no_video_stream'):
        media_files.make_bad(tmp_path / 'videos' / f'{kind}.mp4', kind)
        entries.append({'video': f'{kind}.mp4', 'caption': 'x'})
    media_files.write_video(tmp_path / 'videos' / 'short.mp4', num_frames=2)
    entries += [{'video': 'short.mp4', 'caption': 'x'},
                {'video': 'ok0.mp4', 'caption': 'again'}]
    (tmp_path / 'ann.json').write_text(json.dumps(entries))
    base = ['ann.json', '--data-root', str(tmp_path), '--video-prefix',
            'videos', '--workers', '2', '--num-frames', '8']
    assert check_corpus.main(base + ['--out', str(tmp_path / 'bad.txt')]) == 1
    out = capsys.readouterr()
    lines = out.out.splitlines()
    assert [line.split(': ')[0] for line in lines] == [
        str(tmp_path / 'videos' / f'{k}.mp4')
        for k in ('missing', 'empty', 'truncated', 'no_video_stream')]
    assert lines[0].endswith('file not found')
    assert '4 of 8 files unreadable' in out.err
    assert (tmp_path / 'bad.txt').read_text().splitlines() == lines
    assert check_corpus.main(base + ['--min-frames', '4']) == 1
    assert 'short.mp4: 2 frames, fewer than 4' in capsys.readouterr().out


def test_check_corpus_flags_lost_frames_and_keeps_checksums(tmp_path,
                                                            capsys):
    """A video cut after its first frame decodes without an error, 1 of the
    16 frames its index declares: a failure. The files that pass get their
    SHA-256 in the manifest (which sha256sum reads too); a file that
    changes afterwards and still decodes (here: another valid video), one
    that goes missing, and one that failed, are named by --verify."""
    videos = tmp_path / 'videos'
    for i in range(3):
        media_files.write_video(videos / f'ok{i}.mp4', num_frames=16)
    media_files.cut_after_frames(
        media_files.write_video(videos / 'cut.mp4', num_frames=16), 1)
    (tmp_path / 'ann.json').write_text(json.dumps(
        [{'video': f'{name}.mp4', 'caption': 'x'}
         for name in ('ok0', 'ok1', 'ok2', 'cut')]))
    base = ['ann.json', '--data-root', str(tmp_path), '--video-prefix',
            'videos', '--workers', '1', '--num-frames', '8']
    assert check_corpus.main(base) == 1
    assert capsys.readouterr().out.splitlines() == [
        f'{videos / "cut.mp4"}: decodes 1 of the 16 frames its container '
        'declares']
    manifest = tmp_path / 'ann.json.sha256'
    assert manifest.read_text().splitlines() == [
        f'{hashlib.sha256((videos / f"ok{i}.mp4").read_bytes()).hexdigest()}'
        f'  videos/ok{i}.mp4' for i in range(3)]
    assert subprocess.run(['sha256sum', '--check', '--quiet', manifest],
                          cwd=tmp_path).returncode == 0

    media_files.write_video(videos / 'ok1.mp4', num_frames=16, size=48)
    (videos / 'ok2.mp4').unlink()
    assert check_corpus.main(base + ['--verify']) == 1
    assert capsys.readouterr().out.splitlines() == [
        f'{videos / "ok1.mp4"}: its SHA-256 differs from the manifest\'s: the '
        'file changed since it was checked (a bit flip, a bad copy); '
        'restore it or check it again',
        f'{videos / "ok2.mp4"}: file not found',
        f'{videos / "cut.mp4"}: not in the manifest (it failed the check '
        'that wrote the manifest, or came after it)']
    # the changed file itself decodes: only its checksum tells
    assert check_corpus.check_video(str(videos / 'ok1.mp4'), 8) is None


def test_check_corpus_passes_a_good_image_corpus(tmp_path, capsys):
    for i in range(2):
        media_files.write_image(tmp_path / f'i{i}.jpg')
    (tmp_path / 'ann.json').write_text(json.dumps(
        [{'image': f'i{i}.jpg', 'caption': 'c'} for i in range(2)]))
    assert check_corpus.main([str(tmp_path / 'ann.json'), '--data-root',
                              str(tmp_path), '--workers', '1']) == 0
    assert '0 of 2 files unreadable' in capsys.readouterr().err
