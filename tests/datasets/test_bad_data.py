"""Bad videos: logged and replaced in training (with running counts; too many
stop the run), a clear error at test; a DataLoader over a corpus with 5%
corrupt videos."""
import json
import re

import numpy as np
import pytest
from mmengine.dataset import pseudo_collate
from mmengine.logging import MMLogger
from torch.utils.data import DataLoader

from smaug.datasets import VideoRetrievalDataset, VideoTextPretrainDataset

NUM_FRAMES = 4
PIPELINE = [
    dict(type='DecordInit'),
    dict(type='SampleClipFrames', num_frames=NUM_FRAMES),
    dict(type='DecordDecode'),
    dict(type='ClipRandomResizedCrop', size=16),
    dict(type='PackVideoTextInputs'),
]
TEST_PIPELINE = [
    dict(type='DecordInit'),
    dict(type='SampleClipFrames', num_frames=NUM_FRAMES, test_mode=True),
    dict(type='DecordDecode'),
    dict(type='PackVideoTextInputs'),
]
SKIP_LINE = re.compile(r'Skipped bad training sample (\d+) of \S+: (\S+): '
                       r'(.+); a random other sample replaces it\. Bad '
                       r'samples skipped so far: (\d+) by (.+?), (\d+) by '
                       'all workers of this process')


@pytest.fixture
def log_file(tmp_path, request):
    """A fresh current MMLogger writing to a file; returns the file."""
    path = tmp_path / 'run.log'
    MMLogger.get_instance(f'smaug_bad_data_{request.node.name}',
                          log_file=str(path))
    return path


def corpus(folder, media, num_good, bad_kinds):
    """Write good clips and one bad file per kind; return the annotation
    name and the bad paths by index."""
    entries, bad = [], {}
    for i in range(num_good + len(bad_kinds)):
        path = folder / f'v{i:03d}.mp4'
        kind = bad_kinds[i - num_good] if i >= num_good else None
        if kind is None:
            media.write_video(path, num_frames=8, size=32)
        elif kind == 'too_short':
            media.write_video(path, num_frames=NUM_FRAMES - 1, size=32)
        else:
            media.make_bad(path, kind)
        if kind:
            bad[i] = str(path)
        entries.append({'video': path.name, 'caption': f'clip {i}'})
    (folder / 'ann.json').write_text(json.dumps(entries))
    return 'ann.json', bad


@pytest.mark.parametrize('kind, reason', [
    ('missing', 'file not found'),
    ('empty', r'empty file \(0 bytes\)'),
    ('truncated', 'decord cannot open it'),
    ('garbage', 'decord cannot open it'),
    ('no_video_stream', 'decord cannot open it'),
    ('too_short', 'video has 3 frames, fewer than the 4 asked'),
])
def test_bad_training_video_is_logged_and_replaced(tmp_path, media, log_file,
                                                   kind, reason):
    ann, bad = corpus(tmp_path, media, 3, [kind])
    ds = VideoTextPretrainDataset(data_root=str(tmp_path), ann_file=ann,
                                  pipeline=PIPELINE)
    for _ in range(2):
        item = ds[3]
        assert item['data_samples'].sample_idx != 3
        assert item['inputs'].shape[0] == NUM_FRAMES
    # (a random replacement may be index 3 again: then it is skipped again)
    lines = SKIP_LINE.findall(log_file.read_text())
    assert len(lines) == ds.skipped >= 2
    assert {line[:2] for line in lines} == {('3', bad[3])}
    assert all(re.match(reason, line[2]) for line in lines)
    assert [int(line[3]) for line in lines] == list(range(1, len(lines) + 1))
    assert lines[0][4].startswith('main process')


@pytest.mark.parametrize('kind', ['missing', 'empty', 'truncated'])
def test_bad_test_video_stops_the_run_naming_it(tmp_path, media, kind):
    ann, bad = corpus(tmp_path, media, 2, [kind])
    ds = VideoRetrievalDataset(data_root=str(tmp_path), ann_file=ann,
                               pipeline=TEST_PIPELINE, test_mode=True)
    assert ds[0]['inputs'].shape[0] == NUM_FRAMES
    with pytest.raises(RuntimeError) as info:
        ds[2]
    message = str(info.value)
    assert f'sample 2: cannot read {bad[2]}' in message
    assert 'test mode' in message and 'check_corpus.py' in message


def test_all_files_missing_stops_with_a_clear_error(tmp_path, media,
                                                    log_file):
    ann, _ = corpus(tmp_path, media, 0, ['missing'] * 4)
    ds = VideoTextPretrainDataset(data_root=str(tmp_path), ann_file=ann,
                                  data_prefix=dict(video='wrong'),
                                  pipeline=PIPELINE, max_refetch=5)
    with pytest.raises(RuntimeError,
                       match='6 training samples in a row of .*ann.json are '
                       r'unreadable \(the last: .*wrong/v00\d.mp4: file not '
                       r'found\); check data_root and data_prefix'):
        ds[0]


def test_bad_samples_between_good_ones_do_not_stop_the_run(tmp_path, media,
                                                           log_file):
    """Only bad samples in a row count towards ``max_refetch``: 5 bad
    samples, more than max_refetch=2 in all but never two in a row, are all
    skipped, and the run goes on."""
    ann, _ = corpus(tmp_path, media, 3, ['missing'] * 3)  # 3, 4, 5 missing
    ds = VideoTextPretrainDataset(data_root=str(tmp_path), ann_file=ann,
                                  pipeline=PIPELINE, max_refetch=2)
    order = [3, 0, 4, 1, 5, 2, 3, 0, 4]
    loaded = [ds.prepare_data(index) for index in order]
    assert [data is None for data in loaded] == [i >= 3 for i in order]
    assert ds.skipped == 5


def test_short_test_video_repeats_frames(tmp_path, media):
    ann, _ = corpus(tmp_path, media, 1, ['too_short'])
    ds = VideoRetrievalDataset(data_root=str(tmp_path), ann_file=ann,
                               pipeline=TEST_PIPELINE, test_mode=True)
    assert ds[1]['data_samples'].frame_inds.tolist() == [0, 1, 1, 2]


def test_unexpected_pipeline_error_names_the_sample(tmp_path, media):
    ann, _ = corpus(tmp_path, media, 1, [])
    ds = VideoTextPretrainDataset(
        data_root=str(tmp_path), ann_file=ann,
        pipeline=PIPELINE[:3] + [dict(type='ClipCenterCrop', crop_size=99)])
    with pytest.raises(RuntimeError,
                       match=r'the pipeline failed on sample 0 \(.*v000.mp4\)'
                       ': ValueError: .*exceeds the frame size'):
        ds[0]


@pytest.mark.parametrize('num_workers', [0, 2])
def test_dataloader_over_corpus_with_5_percent_corrupt(tmp_path, media,
                                                       log_file, num_workers):
    ann, bad = corpus(tmp_path, media, 57, ['truncated', 'empty', 'missing'])
    ds = VideoTextPretrainDataset(data_root=str(tmp_path), ann_file=ann,
                                  pipeline=PIPELINE)
    loader = DataLoader(ds, batch_size=6, shuffle=True,
                        num_workers=num_workers, collate_fn=pseudo_collate)
    seen = []
    for batch in loader:
        assert all(x.shape == (NUM_FRAMES, 3, 16, 16) for x in batch['inputs'])
        seen += [s.sample_idx for s in batch['data_samples']]
    assert len(seen) == 60 and not set(seen) & set(bad)
    lines = SKIP_LINE.findall(log_file.read_text())
    # every bad file was skipped (a replacement draw may hit one again)
    assert {line[1] for line in lines} == set(bad.values())
    assert ds.skipped == len(lines) >= 3
    assert max(int(line[5]) for line in lines) == len(lines)
    who = {line[4].split(' (')[0] for line in lines}
    assert who <= ({'main process'} if num_workers == 0 else
                   {'worker 0', 'worker 1'})


def test_too_many_bad_samples_stop_the_run(tmp_path, media, log_file):
    ann, _ = corpus(tmp_path, media, 6,
                    ['missing', 'missing', 'empty', 'garbage'])
    ds = VideoTextPretrainDataset(data_root=str(tmp_path), ann_file=ann,
                                  pipeline=PIPELINE, max_bad_ratio=0.2,
                                  bad_ratio_min_samples=20)
    np.random.seed(0)  # of the replacements
    with pytest.raises(RuntimeError) as info:
        for index in range(100):
            ds[index % len(ds)]
    bad, read = ds.skipped, ds.tally.total_read
    assert read >= 20 and bad > 0.2 * read
    assert str(info.value).startswith(
        f'{bad} of the {read} training samples read so far from '
        f'{tmp_path / ann} (data_root {str(tmp_path)!r}) on this rank are '
        f'bad ({100 * bad / read:.1f}%, more than max_bad_ratio=0.2); the '
        'commonest reasons: "file not found" (')
    assert '"empty file" (' in str(info.value)
    assert (f'tools/data/check_corpus.py {tmp_path / ann} --video-prefix '
            f'{tmp_path}/') in str(info.value)


def test_bad_ratio_must_be_a_share(tmp_path, media):
    ann, _ = corpus(tmp_path, media, 1, [])
    with pytest.raises(ValueError, match=r'ann.json: max_bad_ratio must be '
                       r'in \[0, 1\], not 10'):
        VideoTextPretrainDataset(data_root=str(tmp_path), ann_file=ann,
                                 pipeline=PIPELINE, max_bad_ratio=10)
