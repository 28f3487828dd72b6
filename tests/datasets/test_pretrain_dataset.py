"""VideoTextPretrainDataset on the synthetic corpus and hand-written files."""
import json

import pytest
import torch

from smaug.datasets import AnnotationError, VideoTextPretrainDataset
from smaug.datasets.transforms import clean_text

VIDEO_PIPELINE = [
    dict(type='DecordInit'),
    dict(type='SampleClipFrames', num_frames=4),
    dict(type='DecordDecode'),
    dict(type='ClipRandomResizedCrop', size=16),
    dict(type='ClipFlip'),
    dict(type='CleanText', max_words=30),
    dict(type='PackVideoTextInputs'),
]
IMAGE_PIPELINE = [
    dict(type='LoadImageAsClip'),
    dict(type='ClipRandomResizedCrop', size=16),
    dict(type='PackVideoTextInputs'),
]


def write(tmp_path, entries, name='ann.json'):
    (tmp_path / name).write_text(json.dumps(entries))
    return name


def test_synthetic_videos_and_images(synthetic_root):
    entries = json.loads(
        (synthetic_root / 'annotations/pretrain_video.json').read_text())
    ds = VideoTextPretrainDataset(
        data_root=str(synthetic_root),
        ann_file='annotations/pretrain_video.json',
        pipeline=VIDEO_PIPELINE)
    assert len(ds) == len(entries) and ds.serialize_data
    item = ds[1]
    assert item['inputs'].shape == (4, 3, 16, 16)
    assert item['inputs'].dtype == torch.uint8
    sample = item['data_samples']
    assert sample.video_path == str(synthetic_root / entries[1]['video'])
    assert sample.text == clean_text(entries[1]['caption'], max_words=30)
    images = VideoTextPretrainDataset(
        data_root=str(synthetic_root),
        ann_file='annotations/pretrain_image.json',
        pipeline=IMAGE_PIPELINE)
    item = images[0]
    assert item['inputs'].shape == (1, 3, 16, 16)
    assert item['data_samples'].img_path.endswith('.jpg')


def test_caption_lists_flatten_or_random(tmp_path):
    name = write(tmp_path, [{'image': 'a.jpg', 'caption': ['c1', 'c2', 'c3']},
                            {'image': 'b.jpg', 'caption': 'd'}])
    kwargs = dict(data_root=str(tmp_path), ann_file=name,
                  data_prefix=dict(image='imgs'))
    flat = VideoTextPretrainDataset(**kwargs)
    assert [flat.get_data_info(i)['text'] for i in range(len(flat))] == \
        ['c1', 'c2', 'c3', 'd']
    assert flat.get_data_info(3)['img_path'] == str(tmp_path / 'imgs/b.jpg')
    rand = VideoTextPretrainDataset(caption_mode='random', **kwargs)
    assert len(rand) == 2
    drawn = {rand.get_data_info(0)['text'] for _ in range(50)}
    assert drawn == {'c1', 'c2', 'c3'}
    with pytest.raises(ValueError, match='caption_mode'):
        VideoTextPretrainDataset(caption_mode='first', **kwargs)


@pytest.mark.parametrize('entries, message', [
    ([{'video': 'a.mp4', 'caption': 'x'}, {'video': 'b.mp4'}],
     "entry 1: missing key 'caption'"),
    ([{'video': 'a.mp4', 'caption': 7}], "entry 0: key 'caption' must be "
     'str or list, got int'),
    ([{'video': 'a.mp4', 'caption': 'x'}, {'video': 'b', 'caption': '  '}],
     "entry 1: key 'caption' is empty"),
    ([{'video': 'a.mp4', 'caption': 'x'}, {'caption': 'y'}],
     "entry 1: needs exactly one of the keys 'video' or 'image'"),
    ([{'video': 3, 'caption': 'y'}], "entry 0: key 'video' must be str"),
    ([{'video': 'a.mp4', 'caption': 'x'}, {'image': 'b.jpg', 'caption': 'y'}],
     "entry 1: key 'image' in a file of 'video' entries"),
    ([], 'no entries'),
])
def test_malformed_annotations_fail_at_start_up(tmp_path, entries, message):
    name = write(tmp_path, entries)
    with pytest.raises(AnnotationError) as info:
        VideoTextPretrainDataset(data_root=str(tmp_path), ann_file=name)
    assert str(info.value).startswith(str(tmp_path / name))
    assert message in str(info.value)


def test_jsonl_annotation(tmp_path):
    (tmp_path / 'ann.jsonl').write_text(
        '{"video": "a.mp4", "caption": "x"}\n{"video": "b.mp4", '
        '"caption": "y"}\n')
    ds = VideoTextPretrainDataset(data_root=str(tmp_path),
                                  ann_file='ann.jsonl')
    assert [ds.get_data_info(i)['text'] for i in range(2)] == ['x', 'y']
