"""pack_shards.py: webdataset-layout tar shards read by index (wids), the
same frames as the loose files, missing media listed, resume after a killed
run, idempotence (byte-identical shards, nothing rewritten), the
round-trip check, and the checksums that reading compares."""
import json
import re
import sys
import tarfile
from pathlib import Path

import cv2
import numpy as np
import pytest

from smaug.datasets import VideoTextPretrainDataset
from smaug.datasets.transforms import video_file

import media_files

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / 'tools' / 'data'))

import pack_shards  # noqa: E402

MISSING, GARBAGE = 2, 5  # entries whose media cannot be packed
TEST_FRAMES = [
    dict(type='DecordInit'),
    dict(type='SampleClipFrames', num_frames=4, test_mode=True),
    dict(type='DecordDecode'),
]


@pytest.fixture(scope='module')
def corpus(tmp_path_factory):
    """12 synthetic clips (32x32, 8 frames) and 4 images; the annotation
    file ``annotations/packing.json`` lists the clips with a missing file
    at entry 2 and a file that is no video at entry 5."""
    root = media_files.make_synthetic(
        tmp_path_factory.mktemp('pack') / 'synthetic', num_videos=12,
        num_frames=8, size=32, num_images=4)
    entries = json.loads(
        (root / 'annotations' / 'pretrain_video.json').read_text())
    entries.insert(MISSING, dict(video='videos/nowhere.mp4', caption='x'))
    media_files.make_bad(root / 'videos' / 'garbage.mp4', 'garbage')
    entries.insert(GARBAGE, dict(video='videos/garbage.mp4', caption='y'))
    (root / 'annotations' / 'packing.json').write_text(json.dumps(entries))
    return root


def pack(root, out, *options, ann='annotations/packing.json'):
    """Run pack_shards.py's main; returns its exit code."""
    return pack_shards.main([ann, '--data-root', str(root), '--out',
                             str(out), '--workers', '1', *options])


def dataset(root, shard_index=None, ann='annotations/packing.json',
            pipeline=TEST_FRAMES):
    """The test-mode dataset of the packed file, loose or from shards."""
    return VideoTextPretrainDataset(
        ann_file=ann, data_root=str(root), pipeline=pipeline,
        test_mode=True, media_format='shards' if shard_index else 'loose',
        shard_index=shard_index)


def packed_entries(root):
    """The indices of the entries of packing.json that can be packed."""
    entries = json.loads((root / 'annotations' / 'packing.json').read_text())
    return [i for i in range(len(entries)) if i not in (MISSING, GARBAGE)]


def jpeg_round_trip(imgs, quality=90):
    """RGB frames encoded as JPEG and decoded."""
    decoded = []
    for img in imgs:
        _, data = cv2.imencode('.jpg', cv2.cvtColor(img, cv2.COLOR_RGB2BGR),
                               [cv2.IMWRITE_JPEG_QUALITY, quality])
        decoded.append(cv2.cvtColor(cv2.imdecode(data, cv2.IMREAD_COLOR),
                                    cv2.COLOR_BGR2RGB))
    return np.stack(decoded)


def shard_files(out):
    return sorted(Path(out).glob('shard-*.tar'))


def test_shards_hold_every_readable_entry_in_order(corpus, tmp_path,
                                                   capsys):
    out = tmp_path / 'shards'
    assert pack(corpus, out, '--shard-size', '20000') == 0
    packed = packed_entries(corpus)
    err = capsys.readouterr().err
    assert f'{len(packed) + 2} entries: {len(packed)} packed into' in err
    assert '2 not packed' in err
    unpacked = (out / 'unpacked.txt').read_text().splitlines()
    assert [line.split('\t')[0] for line in unpacked] == ['2', '5']
    assert 'nowhere.mp4: file not found' in unpacked[0]
    assert 'garbage.mp4: decord cannot open it' in unpacked[1]

    index = json.loads((out / 'shardindex.json').read_text())
    assert index['__kind__'] == 'wids-shard-index-v1'
    assert len(index['shardlist']) == len(shard_files(out)) > 1
    assert sum(s['nsamples'] for s in index['shardlist']) == len(packed)
    names, headers = [], set()
    for path in shard_files(out):
        with tarfile.open(path) as tar:
            names += tar.getnames()
            headers |= {(m.mtime, m.uid, m.gid, m.uname, m.mode)
                        for m in tar.getmembers()}
    assert headers == {(0, 0, 0, '', 0o644)}
    assert names == [f'{i:09d}.{ext}' for i in packed
                     for ext in ('mp4', 'json')]

    # every entry reads the same frames from the shards as from its file
    loose = dataset(corpus)
    sharded = dataset(corpus, str(out / 'shardindex.json'))
    for i in packed:
        assert np.array_equal(sharded[i]['imgs'], loose[i]['imgs'])
    with pytest.raises(RuntimeError, match='nowhere.mp4: not packed into'):
        sharded[MISSING]


def test_rerun_rewrites_nothing_and_resume_gives_the_same_bytes(
        corpus, tmp_path, monkeypatch):
    whole, killed = tmp_path / 'whole', tmp_path / 'killed'
    assert pack(corpus, whole, '--shard-size', '20000') == 0
    written = {p: (p.read_bytes(), p.stat().st_mtime_ns)
               for p in whole.iterdir()}
    assert pack(corpus, whole, '--shard-size', '20000') == 0
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns)
            for p in whole.iterdir()} == written

    # a run killed while writing its third shard leaves two shards and a
    # temporary file
    real_write = pack_shards.write_shard

    def die_in_third(path, samples):
        if path.endswith('shard-000002.tar'):
            Path(f'{path}.999.tmp').write_bytes(b'half a shard')
            raise KeyboardInterrupt
        real_write(path, samples)

    monkeypatch.setattr(pack_shards, 'write_shard', die_in_third)
    with pytest.raises(KeyboardInterrupt):
        pack(corpus, killed, '--shard-size', '20000')
    monkeypatch.setattr(pack_shards, 'write_shard', real_write)
    first_two = {p: p.stat().st_mtime_ns for p in shard_files(killed)}
    assert len(first_two) == 2
    assert pack(corpus, killed, '--shard-size', '20000') == 0
    assert {p: p.stat().st_mtime_ns
            for p in shard_files(killed)[:2]} == first_two
    assert sorted(p.name for p in killed.iterdir()) == sorted(
        p.name for p in whole.iterdir())
    for path in whole.iterdir():
        assert (killed / path.name).read_bytes() == path.read_bytes(), path


def test_round_trip_check_names_shard_and_key(corpus, tmp_path, capsys):
    out = tmp_path / 'shards'
    assert pack(corpus, out, '--shard-size', '20000') == 0
    capsys.readouterr()
    # the index says entry 3 was not packed: every later sample's position
    # now stands for the next entry
    index_path = out / 'shardindex.json'
    index = json.loads(index_path.read_text())
    index['smaug']['unpacked'].append(3)
    index_path.write_text(json.dumps(index))
    assert pack(corpus, out, '--check') == 1
    assert re.search(r'shard-000000.tar: sample 000000003 holds entry 3 '
                     r'\(videos/vid_\d+.mp4\), but its position stands for '
                     'entry 4', capsys.readouterr().err)
    with pytest.raises(RuntimeError, match=r'shard-000000.tar: sample '
                       r'000000003 holds entry 3 .*, not entry 4'):
        dataset(corpus, str(index_path), pipeline=[])[4]


def test_a_bit_flipped_in_a_shard_is_found_by_its_checksum(corpus, tmp_path,
                                                           capsys):
    out = tmp_path / 'shards'
    assert pack(corpus, out) == 0
    capsys.readouterr()
    shard = shard_files(out)[0]
    with tarfile.open(shard) as tar:
        member = tar.getmember('000000001.mp4')
    data = bytearray(shard.read_bytes())
    data[member.offset_data + member.size // 2] ^= 0x10
    shard.write_bytes(data)
    assert pack(corpus, out, '--check') == 1
    assert f'{shard}: 000000001.mp4: its SHA-256 differs from the one ' \
        'recorded when it was packed' in capsys.readouterr().err
    sharded = dataset(corpus, str(out / 'shardindex.json'))
    sharded[0]  # its neighbour reads
    with pytest.raises(RuntimeError,
                       match=rf'cannot read {shard}:000000001.mp4: its '
                       'SHA-256 differs from the one recorded when it was '
                       'packed: the shard changed on disk'):
        sharded[1]


def test_frames_mode_reads_jpeg_frames_without_decoding_video(
        corpus, tmp_path, monkeypatch):
    out = tmp_path / 'frames'
    assert pack(corpus, out, '--media', 'frames', '--num-frames', '4') == 0
    with tarfile.open(shard_files(out)[0]) as tar:
        assert tar.getnames()[:5] == [
            '000000000.frame0.jpg', '000000000.frame1.jpg',
            '000000000.frame2.jpg', '000000000.frame3.jpg', '000000000.json']
    last = packed_entries(corpus)[-1]
    loose = [dataset(corpus)[i]['imgs'] for i in (0, last)]

    def no_video_decoding(*args):
        raise AssertionError('a video was opened')

    monkeypatch.setattr(video_file, 'DecordVideo', no_video_decoding)
    monkeypatch.setattr(video_file, 'PyAVVideo', no_video_decoding)
    sharded = dataset(corpus, str(out / 'shardindex.json'))
    for i, imgs in zip((0, last), loose):
        # the 4 test-sampled frames, through JPEG of quality 90
        assert np.array_equal(sharded[i]['imgs'], jpeg_round_trip(imgs))


def test_reencoded_videos_and_images(corpus, tmp_path):
    out = tmp_path / 'reencoded'
    assert pack(corpus, out, '--media', 'reencoded', '--fps', '4') == 0
    sample = dataset(corpus, str(out / 'shardindex.json'),
                     pipeline=[dict(type='DecordInit')])[0]
    assert sample['total_frames'] == 4  # 8 frames at 8 fps, now 4 fps
    assert sample['media_file'].name.endswith('shard-000000.tar:'
                                              '000000000.mp4')

    images = tmp_path / 'images'
    assert pack(corpus, images, '--media', 'reencoded',
                ann='annotations/pretrain_image.json') == 0
    with tarfile.open(shard_files(images)[0]) as tar:
        assert tar.getnames()[0] == '000000000.jpg'
    pipeline = [dict(type='LoadImageAsClip')]
    loose = dataset(corpus, ann='annotations/pretrain_image.json',
                    pipeline=pipeline)
    sharded = dataset(corpus, str(images / 'shardindex.json'),
                      ann='annotations/pretrain_image.json',
                      pipeline=pipeline)
    for i in range(4):
        assert np.array_equal(sharded[i]['imgs'], loose[i]['imgs'])
