"""VideoRetrievalDataset: train/test items, paragraph mode, ground truth."""
import json

import pytest

from smaug.datasets import AnnotationError, VideoRetrievalDataset
from smaug.datasets.transforms import clean_text

TEST_PIPELINE = [dict(type='VideoTestPipeline', num_frames=12, img_size=16)]
# A hand-written MSRVTT-style file: videos with different caption counts.
MULTI = [{'video': 'v0.mp4', 'caption': ['a dog runs', 'a dog is running']},
         {'video': 'v1.mp4', 'caption': 'a cat sleeps'},
         {'video': 'v2.mp4', 'caption': ['x', 'y', 'z']}]


def build(tmp_path, entries, **kwargs):
    (tmp_path / 'ann.json').write_text(json.dumps(entries))
    return VideoRetrievalDataset(
        data_root=str(tmp_path), ann_file='ann.json', **kwargs)


def test_train_items_are_video_caption_pairs(tmp_path):
    ds = build(tmp_path, MULTI)
    infos = [ds.get_data_info(i) for i in range(len(ds))]
    assert [i['text'] for i in infos] == [
        'a dog runs', 'a dog is running', 'a cat sleeps', 'x', 'y', 'z']
    assert [i['video_index'] for i in infos] == [0, 0, 1, 2, 2, 2]
    assert infos[2]['video_path'] == str(tmp_path / 'v1.mp4')
    with pytest.raises(AttributeError, match='test-mode'):
        ds.texts


def test_test_items_and_multi_caption_ground_truth(tmp_path):
    ds = build(tmp_path, MULTI, test_mode=True)
    assert len(ds) == 3
    infos = [ds.get_data_info(i) for i in range(3)]
    assert infos[1]['text'] == ['a cat sleeps']
    assert [i['video_index'] for i in infos] == [0, 1, 2]
    assert ds.texts == ['a dog runs', 'a dog is running', 'a cat sleeps',
                        'x', 'y', 'z']
    assert ds.text_to_video == [0, 0, 1, 2, 2, 2]
    assert ds.video_to_texts == [[0, 1], [2], [3, 4, 5]]
    assert ds.metainfo['text_to_video'] == ds.text_to_video
    for v, texts in enumerate(ds.video_to_texts):
        assert all(ds.text_to_video[t] == v for t in texts)


def test_paragraph_mode(tmp_path):
    train = build(tmp_path, MULTI, paragraph=True)
    assert len(train) == 3
    assert train.get_data_info(0)['text'] == 'a dog runs a dog is running'
    assert train.get_data_info(2)['text'] == 'x y z'
    test = build(tmp_path, MULTI, paragraph=True, test_mode=True)
    assert test.get_data_info(2)['text'] == ['x y z']
    assert test.texts == ['a dog runs a dog is running', 'a cat sleeps',
                          'x y z']
    assert test.text_to_video == [0, 1, 2]
    assert test.video_to_texts == [[0], [1], [2]]


def test_repeated_test_video_is_an_error(tmp_path):
    entries = MULTI + [{'video': 'v1.mp4', 'caption': 'again'}]
    with pytest.raises(AnnotationError,
                       match=r"entry 3: key 'video' .*v1.mp4' repeats "
                       'entry 1'):
        build(tmp_path, entries, test_mode=True)
    assert len(build(tmp_path, entries)) == 7  # fine for training


def test_synthetic_test_split(synthetic_root):
    ann = json.loads(
        (synthetic_root / 'annotations/ret_test.json').read_text())
    ds = VideoRetrievalDataset(
        data_root=str(synthetic_root), ann_file='annotations/ret_test.json',
        pipeline=TEST_PIPELINE, test_mode=True)
    assert len(ds) == len(ann)
    assert len(ds.texts) == sum(len(e['caption']) for e in ann)
    item = ds[len(ds) - 1]
    assert item['inputs'].shape == (12, 3, 16, 16)
    assert item['data_samples'].video_index == len(ds) - 1
    assert item['data_samples'].text == [clean_text(caption)
                                         for caption in ann[-1]['caption']]
    para = VideoRetrievalDataset(
        data_root=str(synthetic_root),
        ann_file='annotations/ret_paragraph_test.json',
        pipeline=TEST_PIPELINE, test_mode=True, paragraph=True)
    assert len(para.texts) == len(para)
    train = VideoRetrievalDataset(
        data_root=str(synthetic_root), ann_file='annotations/ret_train.json')
    assert len(train) == len(json.loads(
        (synthetic_root / 'annotations/ret_train.json').read_text()))
