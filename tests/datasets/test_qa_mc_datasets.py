"""VideoQADataset and VideoMCDataset."""
import json

import pytest

from smaug.datasets import AnnotationError, VideoMCDataset, VideoQADataset

PIPELINE = [dict(type='VideoTestPipeline', num_frames=2, img_size=16,
                 text_keys=('question', 'options'))]


def write(folder, name, obj):
    (folder / name).write_text(json.dumps(obj))
    return name


def test_qa_synthetic(synthetic_root):
    ann = json.loads((synthetic_root / 'annotations/qa_test.json').read_text())
    ds = VideoQADataset(
        data_root=str(synthetic_root), ann_file='annotations/qa_test.json',
        answer_list_file='annotations/qa_answer_list.json',
        pipeline=PIPELINE, test_mode=True)
    assert len(ds) == len(ann)
    assert ds.metainfo['answer_list'] == json.loads(
        (synthetic_root / 'annotations/qa_answer_list.json').read_text())
    sample = ds[0]['data_samples']
    assert sample.answer == ann[0]['answer']
    assert sample.question_id == ann[0]['question_id']
    assert sample.question == ann[0]['question'].rstrip('?')


def test_qa_errors(tmp_path):
    good = [{'video': 'a.mp4', 'question': 'what?', 'answer': 'x',
             'question_id': 'q0'}]
    kwargs = dict(data_root=str(tmp_path), answer_list_file='answers.json')
    write(tmp_path, 'answers.json', ['x', 'y'])
    ds = VideoQADataset(ann_file=write(tmp_path, 'qa.json', good), **kwargs)
    assert ds.get_data_info(0)['question_id'] == 'q0'
    for entry, message in [
        ({'video': 'a.mp4', 'question': 'q', 'answer': 'x'},
         "entry 1: missing key 'question_id'"),
        ({'video': 'a.mp4', 'question': 'q', 'answer': 3,
          'question_id': 1}, "entry 1: key 'answer' must be str"),
        ({'video': 'a.mp4', 'question': '', 'answer': 'x',
          'question_id': 1}, "entry 1: key 'question' is empty"),
    ]:
        with pytest.raises(AnnotationError, match=message):
            VideoQADataset(
                ann_file=write(tmp_path, 'qa.json', good + [entry]), **kwargs)
    write(tmp_path, 'answers.json', {'x': 0})
    with pytest.raises(AnnotationError, match='answers.json: an answer list '
                       'must be a non-empty JSON list'):
        VideoQADataset(ann_file='qa.json', **kwargs)
    write(tmp_path, 'answers.json', ['x', 2])
    with pytest.raises(AnnotationError, match='answers.json: entry 1'):
        VideoQADataset(ann_file='qa.json', **kwargs)


def test_mc_synthetic(synthetic_root):
    ann = json.loads((synthetic_root / 'annotations/mc_test.json').read_text())
    ds = VideoMCDataset(
        data_root=str(synthetic_root), ann_file='annotations/mc_test.json',
        pipeline=PIPELINE, test_mode=True)
    assert len(ds) == len(ann)
    sample = ds[0]['data_samples']
    assert len(sample.options) == 5
    assert sample.answer_index == ann[0]['answer']
    assert ds[0]['inputs'].shape == (2, 3, 16, 16)


@pytest.mark.parametrize('entry, message', [
    ({'video': 'a.mp4', 'caption': ['a', 'b', 'c', 'd'], 'answer': 0},
     "entry 0: key 'caption' must list 5 options, got 4"),
    ({'video': 'a.mp4', 'caption': 'a', 'answer': 0},
     "entry 0: key 'caption' must list 5 options, got 1"),
    ({'video': 'a.mp4', 'caption': list('abcde'), 'answer': 5},
     r"entry 0: key 'answer' must be in \[0, 5\), got 5"),
    ({'video': 'a.mp4', 'caption': list('abcde'), 'answer': '1'},
     "entry 0: key 'answer' must be int, got str"),
    ({'video': 'a.mp4', 'caption': list('abcde')},
     "entry 0: missing key 'answer'"),
])
def test_mc_errors(tmp_path, entry, message):
    with pytest.raises(AnnotationError, match=message):
        VideoMCDataset(data_root=str(tmp_path),
                       ann_file=write(tmp_path, 'mc.json', [entry]))
