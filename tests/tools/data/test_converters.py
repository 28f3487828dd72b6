"""Annotation converters, each on a hand-written sample of the official
format (samples/), loaded back through smaug's datasets."""
import json
import sys
from pathlib import Path

import pytest

TOOLS_DATA = Path(__file__).resolve().parents[3] / 'tools' / 'data'
SAMPLES = Path(__file__).resolve().parent / 'samples'
sys.path.insert(0, str(TOOLS_DATA))

import convert_anet_captions  # noqa: E402
import convert_anet_qa  # noqa: E402
import convert_cc3m  # noqa: E402
import convert_didemo  # noqa: E402
import convert_msrvtt  # noqa: E402
import convert_msrvtt_mc  # noqa: E402
import convert_msrvtt_qa  # noqa: E402
import convert_webvid  # noqa: E402
from qa_annotations import build_answer_list  # noqa: E402

from smaug.datasets import (VideoMCDataset, VideoQADataset,  # noqa: E402
                            VideoRetrievalDataset, VideoTextPretrainDataset)


def load(path):
    return json.loads(Path(path).read_text())


def convert(converter, out, **samples):
    """Run ``converter``'s command line on the ``samples`` (``--<name>
    samples/<path>``, underscores as dashes) with ``--out`` for a .json
    ``out`` or ``--out-dir``; assert it exits 0."""
    argv = [arg for name, path in samples.items()
            for arg in (f'--{name.replace("_", "-")}', str(SAMPLES / path))]
    option = '--out' if Path(out).suffix == '.json' else '--out-dir'
    assert converter.main([*argv, option, str(out)]) == 0


def test_msrvtt(tmp_path):
    convert(convert_msrvtt, tmp_path,
            data_json='msrvtt/MSRVTT_data.json',
            train_csv='msrvtt/MSRVTT_train.7k.csv',
            test_csv='msrvtt/MSRVTT_JSFUSION_test.csv')
    train = load(tmp_path / 'ret_train_7k.json')
    assert train == [
        {'video': 'video0.mp4', 'caption': [
            'a car is shown',
            'a man drives a vehicle through the countryside']},
        {'video': 'video1.mp4', 'caption': [
            'a group is dancing',
            'a teenage couple perform in an amateur musical',
            'dancers are playing a routine']}]
    test = load(tmp_path / 'ret_test_1ka.json')
    assert [e['video'] for e in test] == ['video7579.mp4', 'video7580.mp4']
    assert test[0]['caption'] == [
        'a girl wearing red top and black trouser is putting a sweater on a '
        'dog']
    ds = VideoRetrievalDataset(ann_file=str(tmp_path / 'ret_test_1ka.json'),
                               test_mode=True)
    assert ds.text_to_video == [0, 1]
    assert len(VideoRetrievalDataset(
        ann_file=str(tmp_path / 'ret_train_7k.json'))) == 5


def test_msrvtt_csv_without_the_column(tmp_path):
    bad = tmp_path / 'bad.csv'
    bad.write_text('vid\nvideo0\n')
    with pytest.raises(ValueError, match="bad.csv: missing column.*video_id"):
        convert_msrvtt.convert(str(SAMPLES / 'msrvtt/MSRVTT_data.json'),
                               str(bad), str(bad))


def test_didemo_groups_by_video_in_time_order(tmp_path):
    convert(convert_didemo, tmp_path, train='didemo/train_data.json')
    assert load(tmp_path / 'ret_train.json') == [
        {'video': '22257445@N00_3012390286_1d5e4e2a4d.mp4',
         'caption': ['a dog runs toward the lake',
                     'the dog jumps into the water']},
        {'video': '13638374@N00_2410106036_0a0aa4d24b.mp4',
         'caption': ['camera pans to the left']}]
    ds = VideoRetrievalDataset(ann_file=str(tmp_path / 'ret_train.json'),
                               paragraph=True, test_mode=True)
    assert ds.texts[0] == ('a dog runs toward the lake the dog jumps into '
                           'the water')


def test_anet_captions_paragraphs(tmp_path):
    convert(convert_anet_captions, tmp_path, train='anet/train.json',
            val1='anet/val_1.json')
    train = load(tmp_path / 'ret_train.json')
    assert train[0] == {'video': 'v_QOlSCBRmfWY.mp4', 'caption': [
        'A young woman is seen standing in a room and leads into her '
        'dancing.', 'She then mops the floor.',
        'She continues dancing around the room.']}
    assert len(train) == 2
    val = load(tmp_path / 'ret_val1.json')
    assert val[0]['caption'][1].startswith('The coach')
    ds = VideoRetrievalDataset(ann_file=str(tmp_path / 'ret_val1.json'),
                               paragraph=True, test_mode=True)
    assert ds.texts == ['A weight lifting tutorial is given. The coach helps '
                        'the guy in red with the proper body placement and '
                        'lifting technique.']


def test_msrvtt_qa(tmp_path):
    convert(convert_msrvtt_qa, tmp_path, train='msrvtt_qa/train_qa.json',
            test='msrvtt_qa/test_qa.json')
    train = load(tmp_path / 'qa_train.json')
    assert train[1] == {'video': 'video0.mp4', 'question':
                        'who is driving a car?', 'answer': 'man',
                        'question_id': 1}
    assert load(tmp_path / 'qa_test.json')[0]['video'] == 'video7579.mp4'
    assert load(tmp_path / 'qa_answer_list.json') == ['man', 'clip']
    ds = VideoQADataset(ann_file=str(tmp_path / 'qa_test.json'),
                        answer_list_file=str(tmp_path / 'qa_answer_list.json'),
                        test_mode=True)
    assert ds.get_data_info(0)['question_id'] == 158581


def test_split_converter_writes_the_given_splits_and_needs_train(
        tmp_path, capsys):
    assert convert_msrvtt_qa.main([
        '--train', str(SAMPLES / 'msrvtt_qa/train_qa.json'), '--out-dir',
        str(tmp_path), '--video-template', 'clips/{}.webm'
    ]) == 0
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        'qa_answer_list.json', 'qa_train.json']
    assert load(tmp_path / 'qa_train.json')[1]['video'] == 'clips/0.webm'
    with pytest.raises(SystemExit) as exit_:
        convert_msrvtt_qa.main([
            '--test', str(SAMPLES / 'msrvtt_qa/test_qa.json'), '--out-dir',
            str(tmp_path)])
    assert exit_.value.code == 2
    assert 'required: --train' in capsys.readouterr().err


def test_anet_qa_joins_questions_and_answers(tmp_path):
    convert(convert_anet_qa, tmp_path, ann_dir='anet_qa')
    train = load(tmp_path / 'qa_train.json')
    assert train[1] == {'video': 'v_x--RoqrwiLI.mp4', 'question':
                        'is the person in black pants a boy or a girl',
                        'answer': 'male', 'question_id': 'v_x--RoqrwiLI_6'}
    assert not (tmp_path / 'qa_val.json').exists()
    assert load(tmp_path / 'qa_test.json')[0]['answer'] == 'white'
    assert load(tmp_path / 'qa_answer_list.json') == ['no', 'male']
    VideoQADataset(ann_file=str(tmp_path / 'qa_train.json'),
                   answer_list_file=str(tmp_path / 'qa_answer_list.json'))


def test_anet_qa_missing_answer(tmp_path):
    answers = tmp_path / 'a.json'
    answers.write_text('[]')
    with pytest.raises(ValueError, match="no answer for question "
                       "'v_okC18bPTils_3'"):
        convert_anet_qa.convert_split(str(SAMPLES / 'anet_qa/train_q.json'),
                                      str(answers))


@pytest.mark.parametrize('name', ['MSR_MC_test.csv',
                                  'msrvtt_retrieval_mc_test.jsonl'])
def test_msrvtt_mc_both_formats(tmp_path, name):
    out = tmp_path / 'mc_test.json'
    convert(convert_msrvtt_mc, out, input=f'msrvtt_mc/{name}')
    entries = load(out)
    assert entries[1] == {'video': 'video7011.mp4', 'caption': [
        'people swim in a pool', 'a chef cuts vegetables',
        'a man rides a horse', 'a girl paints a wall', 'a plane takes off'],
        'answer': 3}
    ds = VideoMCDataset(ann_file=str(out), test_mode=True)
    assert ds.get_data_info(0)['answer_index'] == 0


def test_webvid(tmp_path):
    out = tmp_path / 'webvid_train.json'
    convert(convert_webvid, out, csv='webvid/results_2M_train.csv')
    entries = load(out)
    assert entries == [
        {'video': '016401_016450/31353427.mp4', 'caption':
         'Merida, mexico - may 23, 2017: tourists walk in the main square.'},
        {'video': '071501_071550/8312236.mp4',
         'caption': 'Waves on the sea shore'}]
    (tmp_path / 'videos/071501_071550').mkdir(parents=True)
    (tmp_path / 'videos/071501_071550/8312236.mp4').write_bytes(b'x')
    kept, dropped = convert_webvid.convert(
        str(SAMPLES / 'webvid/results_2M_train.csv'),
        videos_root=str(tmp_path / 'videos'))
    assert [e['video'] for e in kept] == ['071501_071550/8312236.mp4']
    assert dropped == dict(no_caption=1, no_video=1)
    assert len(VideoTextPretrainDataset(ann_file=str(out))) == 2


def test_cc3m_and_cc12m_column_order(tmp_path):
    out = tmp_path / 'cc3m.json'
    convert(convert_cc3m, out, tsv='cc3m/Train_GCC-training.tsv')
    entries = load(out)
    assert entries[0] == {'image': '00000/000000000.jpg',
                          'caption': 'a very typical bus station'}
    assert entries[1]['image'] == '00000/000000001.jpg'
    assert len(entries) == 2  # the empty caption is dropped
    assert len(VideoTextPretrainDataset(ann_file=str(out))) == 2
    swapped = tmp_path / 'cc12m.tsv'
    swapped.write_text('http://x/a.jpg\ta red car\n')
    entries, _ = convert_cc3m.convert(str(swapped), ('url', 'caption'),
                                      template='{index}.jpg')
    assert entries == [{'image': '0.jpg', 'caption': 'a red car'}]


def test_answer_list_order():
    assert build_answer_list(['b', 'a', 'b', 'c', 'a', 'b', ' ']) == \
        ['b', 'a', 'c']
    assert build_answer_list(['b', 'a', 'b'], max_answers=1) == ['b']
