"""The annotation store: parsed annotations in a file every process maps."""
import hashlib
import json
import multiprocessing
import os
import pickle

from mmengine.dataset import BaseDataset

from log_lines import LogLines  # tests/fixtures, on sys.path (conftest)
from smaug.datasets import (VideoMCDataset, VideoQADataset,
                            VideoRetrievalDataset, VideoTextPretrainDataset)

CAPTIONS = [{'video': f'v/{i}.mp4', 'caption': [f'c{i} a', f'c{i} b']}
            for i in range(30)]


def write(folder, name, obj):
    """Write ``obj`` as JSON (JSON lines for ``.jsonl``); return the path."""
    path = folder / name
    if name.endswith('.jsonl'):
        path.write_text(''.join(json.dumps(entry) + '\n' for entry in obj))
    else:
        path.write_text(json.dumps(obj))
    return str(path)


def infos(dataset):
    """All data infos of a dataset, as stored (no caption drawn)."""
    return [BaseDataset.get_data_info(dataset, i) for i in range(len(dataset))]


def stores(folder):
    """The files of a cache folder but its stores' names (sorted)."""
    return sorted(p.name for p in (folder / '.smaug_cache').iterdir())


def cases(tmp_path):
    """(class, keyword arguments) of every dataset type and mode."""
    qa = [{'video': f'v/{i}.mp4', 'question': f'q{i}?', 'answer': f'a{i % 3}',
           'question_id': i} for i in range(20)]
    mc = [{'video': f'v/{i}.mp4', 'caption': [f'o{j}' for j in range(5)],
           'answer': i % 5} for i in range(20)]
    captions = write(tmp_path, 'captions.json', CAPTIONS)
    return [
        (VideoTextPretrainDataset, dict(ann_file=captions)),
        (VideoTextPretrainDataset, dict(ann_file=write(
            tmp_path, 'captions.jsonl', CAPTIONS), caption_mode='random')),
        (VideoRetrievalDataset, dict(ann_file=captions)),
        (VideoRetrievalDataset, dict(ann_file=captions, test_mode=True)),
        (VideoRetrievalDataset, dict(ann_file=captions, paragraph=True)),
        (VideoQADataset, dict(ann_file=write(tmp_path, 'qa.json', qa),
                              answer_list_file=write(
                                  tmp_path, 'answers.json', ['a0', 'a1']))),
        (VideoMCDataset, dict(ann_file=write(tmp_path, 'mc.json', mc),
                              test_mode=True)),
    ]


def test_store_equals_mmengine_list(tmp_path):
    """Every dataset reads the same infos and metainfo from the store (new,
    then reused), from an in-memory store and from mmengine's list."""
    for cls, kwargs in cases(tmp_path):
        listed = cls(**kwargs, serialize_data=False)
        for cache_dir in (True, True, False):
            stored = cls(**kwargs, cache_dir=cache_dir)
            assert infos(stored) == infos(listed), (cls, kwargs)
            assert stored.metainfo == listed.metainfo
            assert stored.media_key == listed.media_key == 'video'
    # one store per file and settings
    assert len(stores(tmp_path)) == 7


def test_store_is_shared_file_mapping(tmp_path):
    """The annotations live in a file mapping (page cache shared by all
    processes), and a pickled dataset (spawned workers) names the file
    instead of carrying a copy."""
    many = [{'video': f'v/{i}.mp4', 'caption': 'x ' * 20} for i in range(5000)]
    path = write(tmp_path, 'many.json', many)
    dataset = VideoTextPretrainDataset(ann_file=path)
    [store] = stores(tmp_path)
    with open('/proc/self/maps') as maps:
        assert store in maps.read()
    for same in (dataset, VideoTextPretrainDataset(ann_file=path)):
        state = pickle.dumps(same)
        assert len(state) < dataset.data_bytes.nbytes / 10
        assert infos(pickle.loads(state)) == infos(dataset)
    # subsets and copies are pickled by value
    for subset in (VideoTextPretrainDataset(ann_file=path, indices=-100),
                   dataset.get_subset([5, 3])):
        assert infos(pickle.loads(pickle.dumps(subset))) == infos(subset)
    assert [info['video_path'] for info in infos(subset)] == [
        'v/5.mp4', 'v/3.mp4']
    assert infos(VideoTextPretrainDataset(ann_file=path, indices=-100)) == \
        infos(VideoTextPretrainDataset(ann_file=path, indices=-100,
                                       serialize_data=False))


def test_indices_as_mmengine_list(tmp_path):
    """A count of entries at or beyond the file's length keeps them all,
    as mmengine's list does (the small test configs ask for 8 of 8)."""
    path = write(tmp_path, 'captions.json', CAPTIONS)
    for indices in (1, len(CAPTIONS), len(CAPTIONS) + 5, -1, [1, 0]):
        assert infos(VideoTextPretrainDataset(
            ann_file=path, indices=indices)) == infos(
                VideoTextPretrainDataset(ann_file=path, indices=indices,
                                         serialize_data=False)), indices


def test_store_reused_and_rebuilt_when_stale(tmp_path):
    path = write(tmp_path, 'captions.json', CAPTIONS)
    VideoTextPretrainDataset(ann_file=path)
    [store] = stores(tmp_path)
    written = os.stat(tmp_path / '.smaug_cache' / store)
    again = VideoTextPretrainDataset(ann_file=path)
    assert stores(tmp_path) == [store]
    reused = os.stat(tmp_path / '.smaug_cache' / store)
    assert (reused.st_ino, reused.st_mtime_ns) == (written.st_ino,
                                                   written.st_mtime_ns)
    assert again.get_data_info(0)['text'] == 'c0 a'
    # an edited file (same size) gets a new store; the old one goes
    write(tmp_path, 'captions.json',
          [dict(CAPTIONS[0], caption=['C0 a', 'c0 b'])] + CAPTIONS[1:])
    os.utime(path, ns=(written.st_mtime_ns + 10**9, ) * 2)
    edited = VideoTextPretrainDataset(ann_file=path)
    assert edited.get_data_info(0)['text'] == 'C0 a'
    assert len(stores(tmp_path)) == 1 and stores(tmp_path) != [store]
    # another setting is another store
    VideoTextPretrainDataset(ann_file=path, caption_mode='random')
    assert len(stores(tmp_path)) == 2


def test_damaged_store_is_rebuilt(tmp_path):
    path = write(tmp_path, 'captions.json', CAPTIONS)
    expected = infos(VideoTextPretrainDataset(ann_file=path))
    [store] = stores(tmp_path)
    store_file = tmp_path / '.smaug_cache' / store
    store_file.write_bytes(store_file.read_bytes()[:-100])
    assert infos(VideoTextPretrainDataset(ann_file=path)) == expected


def test_not_writable_folder_falls_back_to_memory(tmp_path):
    path = write(tmp_path, 'captions.json', CAPTIONS)
    (tmp_path / 'a_file').write_text('')
    folder = str(tmp_path / 'a_file' / 'cache')
    expected = infos(VideoTextPretrainDataset(ann_file=path, cache_dir=False))
    log = LogLines()
    for _ in range(2):
        dataset = VideoTextPretrainDataset(ann_file=path, cache_dir=folder)
        assert infos(dataset) == expected
    assert log.count(f'Cannot write annotation stores to {folder} ') == 1


def build_digest(path, cache_dir, barrier, queue):
    """Build a dataset once all processes are ready; send its digest and
    whether this process wrote the store."""
    log = LogLines()
    barrier.wait()
    dataset = VideoTextPretrainDataset(ann_file=path, cache_dir=cache_dir)
    queue.put((hashlib.sha256(pickle.dumps(infos(dataset))).hexdigest(),
               log.count('Wrote the annotation store')))


def test_processes_building_at_once(tmp_path):
    """Four processes start on a missing store: one writes it, the others
    wait and map it; all read the same infos and nothing is left over."""
    many = [{'video': f'v/{i}.mp4', 'caption': f'caption {i}'}
            for i in range(20000)]
    path = write(tmp_path, 'many.jsonl', many)
    cache_dir = str(tmp_path / 'cache')
    context = multiprocessing.get_context('fork')
    barrier, queue = context.Barrier(4), context.Queue()
    processes = [context.Process(target=build_digest,
                                 args=(path, cache_dir, barrier, queue))
                 for _ in range(4)]
    for process in processes:
        process.start()
    results = [queue.get(timeout=120) for _ in processes]
    for process in processes:
        process.join()
        assert process.exitcode == 0
    expected = VideoTextPretrainDataset(ann_file=path, cache_dir=False)
    assert {digest for digest, _ in results} == {
        hashlib.sha256(pickle.dumps(infos(expected))).hexdigest()}
    assert sorted(wrote for _, wrote in results) == [0, 0, 0, 1]
    assert [name.endswith('.store') for name in os.listdir(cache_dir)
            ] == [True]
