"""VideoIndex: incremental updates, invalidation, unreadable entries, safe
writes, the float16 memory-mapped store and its faiss index. The videos
are dummy files and the embedder a fake that counts what it is asked to
embed."""
import errno
import json
import os

import numpy as np
import pytest
import torch

from smaug.apis import IndexWriteError, VideoIndex, scan_videos
from smaug.apis.video_index import FOLDER_REASON

FINGERPRINT = dict(weights='w0', model_config='c0', pipeline='p0')


class FakeEmbedder:
    """Embeds a file as a unit vector seeded by its bytes; files whose
    content starts with b'bad' are reported unreadable."""

    def __init__(self, batch_size=2):
        self.batch_size = batch_size
        self.calls = []

    @staticmethod
    def vector(path):
        data = open(path, 'rb').read()
        seed = int.from_bytes(data[:8].ljust(8, b'\0'), 'little') % 2**31
        vec = torch.randn(4, generator=torch.Generator().manual_seed(seed))
        return vec / vec.norm()

    def __call__(self, paths):
        self.calls.append(sorted(os.path.basename(path) for path in paths))
        for start in range(0, len(paths), self.batch_size):
            batch = paths[start:start + self.batch_size]
            good = [path for path in batch
                    if not open(path, 'rb').read().startswith(b'bad')]
            yield dict(paths=good,
                       emb=torch.stack([self.vector(p) for p in good])
                       if good else torch.zeros(0, 4),
                       skipped={path: 'bad data' for path in batch
                                if path not in good})


def write(folder, name, content):
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


@pytest.fixture
def folder(tmp_path):
    videos = tmp_path / 'videos'
    write(videos, 'a.mp4', b'aaaa')
    write(videos, 'sub/b.MKV', b'bbbb')
    write(videos, 'c.avi', b'cccc')
    write(videos, 'notes.txt', b'not a video')
    write(videos, '.hidden/d.mp4', b'dddd')
    return videos


def check_rows(index):
    """Every row holds the float16 embedding of its own file, and the faiss
    index finds each file first for its own embedding."""
    paths, neighbours = index.gallery()
    emb = index.embeddings
    assert emb.dtype == np.float16 and isinstance(emb, np.memmap)
    assert len(paths) == len(emb) == len(neighbours)
    for path, row in zip(paths, emb):
        torch.testing.assert_close(torch.from_numpy(row.astype(np.float32)),
                                   FakeEmbedder.vector(path), atol=1e-3,
                                   rtol=0)
    vectors = torch.stack([FakeEmbedder.vector(path) for path in paths])
    _, rows = neighbours.search(vectors, 1)
    assert rows[:, 0].tolist() == list(range(len(paths)))


def update(index_dir, folder, fingerprint=FINGERPRINT):
    embedder = FakeEmbedder()
    index = VideoIndex(index_dir, folder, fingerprint)
    return index, index.update(embedder), embedder


def test_scan_is_recursive_and_filters(folder):
    assert list(scan_videos(folder)) == ['a.mp4', 'c.avi', 'sub/b.MKV']


def test_only_new_or_changed_files_are_embedded(folder, tmp_path):
    index_dir = tmp_path / 'index'
    index, stats, embedder = update(index_dir, folder)
    assert embedder.calls == [['a.mp4', 'b.MKV', 'c.avi']]
    assert stats['new'] == 3 and stats['total'] == 3
    check_rows(index)

    index, stats, embedder = update(index_dir, folder)
    assert embedder.calls == [] and stats['unchanged'] == 3
    assert stats['rebuilt'] is None
    check_rows(index)

    write(folder, 'a.mp4', b'a changed file')
    write(folder, 'e.webm', b'eeee')
    (folder / 'c.avi').unlink()
    index, stats, embedder = update(index_dir, folder)
    assert embedder.calls == [['a.mp4', 'e.webm']]
    assert (stats['new'], stats['changed'], stats['removed'],
            stats['unchanged']) == (1, 1, 1, 1)
    assert sorted(entry['path'] for entry in index.videos) == \
        ['a.mp4', 'e.webm', 'sub/b.MKV']
    check_rows(index)
    manifest = json.loads((index_dir / 'manifest.json').read_text())
    assert [entry['path'] for entry in manifest['videos']] == \
        [entry['path'] for entry in index.videos]
    # the manifest's data files only: old ones and temporary files gone
    assert set(os.listdir(index_dir)) == {
        '.lock', 'manifest.json', manifest['embeddings'],
        manifest['neighbours']['file']}


def test_another_model_invalidates(folder, tmp_path):
    update(tmp_path / 'index', folder)
    other = dict(FINGERPRINT, weights='w1')
    index, stats, embedder = update(tmp_path / 'index', folder, other)
    assert 'weights' in stats['rebuilt']
    assert embedder.calls == [['a.mp4', 'b.MKV', 'c.avi']]
    index, stats, embedder = update(tmp_path / 'index', folder, other)
    assert embedder.calls == []


def test_another_folder_invalidates(folder, tmp_path):
    update(tmp_path / 'index', folder)
    other = tmp_path / 'other'
    write(other, 'z.mp4', b'zzzz')
    index, stats, _ = update(tmp_path / 'index', other)
    assert 'another folder' in stats['rebuilt']
    assert [entry['path'] for entry in index.videos] == ['z.mp4']


def test_corrupt_manifest_rebuilds(folder, tmp_path):
    update(tmp_path / 'index', folder)
    (tmp_path / 'index' / 'manifest.json').write_text('{"format": 1,')
    index, stats, embedder = update(tmp_path / 'index', folder)
    assert 'unusable' in stats['rebuilt'] and len(embedder.calls) == 1
    check_rows(index)


def test_unreadable_remembered_until_changed(folder, tmp_path):
    write(folder, 'broken.mp4', b'bad bytes')
    index, stats, _ = update(tmp_path / 'index', folder)
    assert stats['unreadable'] == 1 and stats['total'] == 3
    assert index.unreadable['broken.mp4']['reason'] == 'bad data'
    _, stats, embedder = update(tmp_path / 'index', folder)
    assert embedder.calls == [] and stats['unreadable'] == 1
    write(folder, 'broken.mp4', b'repaired')
    index, stats, embedder = update(tmp_path / 'index', folder)
    assert embedder.calls == [['broken.mp4']]
    assert stats['unreadable'] == 0 and stats['total'] == 4
    check_rows(index)


def test_interrupted_update_keeps_saved_batches(folder, tmp_path):
    embedder = FakeEmbedder(batch_size=1)

    def interrupted(paths):
        batches = embedder(paths)
        yield next(batches)
        raise KeyboardInterrupt

    index = VideoIndex(tmp_path / 'index', folder, FINGERPRINT)
    with pytest.raises(KeyboardInterrupt):
        index.update(interrupted, save_interval=0)
    index, stats, embedder = update(tmp_path / 'index', folder)
    assert stats['unchanged'] == 1 and embedder.calls == [['b.MKV', 'c.avi']]
    check_rows(index)


@pytest.mark.parametrize('code,words', [(errno.ENOSPC, 'no space left'),
                                        (errno.EROFS, 'read-only')])
def test_full_or_read_only_index_dir(folder, tmp_path, monkeypatch, code,
                                     words):
    index_dir = tmp_path / 'index'
    update(index_dir, folder)
    before = (index_dir / 'manifest.json').read_text()
    write(folder, 'new.mp4', b'nnnn')

    def failing_flush(fd):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, 'fsync', failing_flush)
    with pytest.raises(IndexWriteError, match=f'{words}.*--index-dir') as err:
        VideoIndex(index_dir, folder, FINGERPRINT).update(FakeEmbedder())
    assert str(index_dir) in str(err.value)
    # the old index is intact and no temporary file is left behind
    assert (index_dir / 'manifest.json').read_text() == before
    assert not [name for name in os.listdir(index_dir)
                if name.endswith('.tmp')]


def test_index_dir_that_cannot_be_created(folder, tmp_path, monkeypatch):
    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, 'Read-only file system', str(tmp_path))

    monkeypatch.setattr(os, 'makedirs', read_only)
    with pytest.raises(IndexWriteError, match='read-only'):
        VideoIndex(tmp_path / 'ro' / 'index', folder,
                   FINGERPRINT).update(FakeEmbedder())


def test_folder_named_like_a_video_is_reported(folder, tmp_path):
    write(folder, 'clip.mp4/inside.mp4', b'iiii')
    index, stats, embedder = update(tmp_path / 'index', folder)
    assert embedder.calls == [['a.mp4', 'b.MKV', 'c.avi', 'inside.mp4']]
    assert index.unreadable == {'clip.mp4': dict(
        size=(folder / 'clip.mp4').stat().st_size,
        mtime_ns=(folder / 'clip.mp4').stat().st_mtime_ns,
        reason=FOLDER_REASON)}
    assert stats['unreadable'] == 1 and stats['total'] == 4
    check_rows(index)


def test_embeddings_stored_as_float16(folder, tmp_path):
    index, _, _ = update(tmp_path / 'index', folder)
    manifest = json.loads((tmp_path / 'index' / 'manifest.json').read_text())
    stored = np.load(tmp_path / 'index' / manifest['embeddings'])
    assert stored.dtype == np.float16 and stored.shape == (3, 4)
    np.testing.assert_array_equal(stored, index.embeddings)


def test_format_1_cache_converted_without_embedding(folder, tmp_path):
    index_dir = tmp_path / 'index'
    index, _, _ = update(index_dir, folder)
    old = np.asarray(index.embeddings, np.float32)
    manifest = json.loads((index_dir / 'manifest.json').read_text())
    (index_dir / manifest.pop('embeddings')).unlink()
    (index_dir / manifest.pop('neighbours')['file']).unlink()
    np.save(index_dir / 'embeddings-old.npy', old)
    manifest.update(format=1, embeddings='embeddings-old.npy')
    (index_dir / 'manifest.json').write_text(json.dumps(manifest))
    index, stats, embedder = update(index_dir, folder)
    assert embedder.calls == [] and stats['rebuilt'] is None
    assert json.loads((index_dir / 'manifest.json').read_text())[
        'format'] == 2
    assert not (index_dir / 'embeddings-old.npy').exists()
    check_rows(index)


def test_approximate_index_above_the_exact_limit(folder, tmp_path):
    for number in range(400):
        write(folder, f'many/{number:03d}.mp4', f'{number:08d}'.encode())
    index_dir = tmp_path / 'index'
    index = VideoIndex(index_dir, folder, FINGERPRINT, exact_limit=1000)
    index.update(FakeEmbedder())
    assert index.gallery()[1].info == dict(kind='exact', exact_limit=1000)
    embedder = FakeEmbedder()
    index = VideoIndex(index_dir, folder, FINGERPRINT, exact_limit=200)
    stats = index.update(embedder)
    info = index.gallery()[1].info
    assert embedder.calls == [] and stats['total'] == 403
    assert info['kind'] == 'ivf' and info['trained_size'] == 403
    assert 0.95 <= info['recall'] <= 1
    manifest = json.loads((index_dir / 'manifest.json').read_text())
    assert manifest['neighbours']['info'] == info


def test_unreadable_faiss_file_rebuilt_without_embedding(folder, tmp_path):
    index_dir = tmp_path / 'index'
    update(index_dir, folder)
    manifest = json.loads((index_dir / 'manifest.json').read_text())
    (index_dir / manifest['neighbours']['file']).write_bytes(b'torn')
    index, stats, embedder = update(index_dir, folder)
    assert embedder.calls == [] and stats['rebuilt'] is None
    check_rows(index)


def test_one_deleted_file_is_dropped(folder, tmp_path):
    update(tmp_path / 'index', folder)
    (folder / 'c.avi').unlink()
    index, stats, embedder = update(tmp_path / 'index', folder)
    assert embedder.calls == [] and stats['removed'] == 1
    assert [entry['path'] for entry in index.videos] == ['a.mp4', 'sub/b.MKV']
    check_rows(index)


def test_progress_reported_per_batch(folder, tmp_path):
    write(folder, 'clip.mp4/inside.mp4', b'iiii')
    calls = []
    VideoIndex(tmp_path / 'index', folder, FINGERPRINT).update(
        FakeEmbedder(batch_size=2),
        on_progress=lambda *args: calls.append(args))
    # the folder entry counts as done at once; then batches of 2 files
    assert calls == [('embedding', 1, 5), ('embedding', 3, 5),
                     ('embedding', 5, 5), ('search index', 0, 4)]
