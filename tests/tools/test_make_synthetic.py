"""Tests of tools/data/make_synthetic.py, the synthetic video-text corpus."""
import json
import subprocess
import sys
from pathlib import Path

import decord
import numpy as np
import pytest
from PIL import Image
from transformers import BertTokenizerFast

TOOLS_DATA = Path(__file__).resolve().parents[2] / 'tools' / 'data'
sys.path.insert(0, str(TOOLS_DATA))

import make_synthetic  # noqa: E402
import synthetic_render  # noqa: E402
import synthetic_scenes  # noqa: E402

NUM_VIDEOS, NUM_FRAMES, SIZE, NUM_IMAGES = 12, 8, 64, 6
ANNOTATIONS = ('pretrain_video.json', 'pretrain_image.json', 'ret_train.json',
               'ret_test.json', 'ret_paragraph_train.json',
               'ret_paragraph_test.json', 'qa_train.json', 'qa_test.json',
               'qa_answer_list.json', 'mc_test.json')
TRAIN_FILES = ('pretrain_video.json', 'ret_train.json',
               'ret_paragraph_train.json', 'qa_train.json')
TEST_FILES = ('ret_test.json', 'ret_paragraph_test.json', 'qa_test.json',
              'mc_test.json')


def generate(out, seed=0, *extra):
    """Run the generator's main() on a small corpus; return ``out``."""
    argv = ['--out', str(out), '--seed', str(seed), '--num-videos',
            str(NUM_VIDEOS), '--num-frames', str(NUM_FRAMES), '--size',
            str(SIZE), '--num-images', str(NUM_IMAGES), *extra]
    assert make_synthetic.main(argv) == 0
    return out


def load(corpus, name):
    return json.loads((corpus / 'annotations' / name).read_text())


def decode(path):
    reader = decord.VideoReader(str(path))
    return reader.get_batch(list(range(len(reader)))).asnumpy()


def texts(corpus):
    """Every caption, option, question and answer of the corpus."""
    for name in ANNOTATIONS:
        for entry in load(corpus, name):
            if isinstance(entry, str):
                yield entry
                continue
            for key in ('caption', 'question', 'answer'):
                value = entry.get(key)
                if isinstance(value, list):
                    yield from value
                elif isinstance(value, str):  # not the MC answer index
                    yield value


@pytest.fixture(scope='module')
def corpus(tmp_path_factory):
    return generate(tmp_path_factory.mktemp('synthetic'), 0, '--workers', '1')


@pytest.fixture(scope='module')
def corpus_again(tmp_path_factory):
    """Same seed as ``corpus``, encoded by two worker processes."""
    return generate(tmp_path_factory.mktemp('again'), 0, '--workers', '2')


def test_every_entry_points_to_a_decodable_file(corpus):
    assert (corpus / '.complete').is_file()
    assert (corpus / 'vocab.txt').is_file()
    videos, images = set(), set()
    for name in ANNOTATIONS:
        entries = load(corpus, name)
        assert entries, name
        if name == 'qa_answer_list.json':
            continue
        for entry in entries:
            assert ('video' in entry) != ('image' in entry), (name, entry)
            videos.add(entry.get('video'))
            images.add(entry.get('image'))
    videos.discard(None)
    images.discard(None)
    assert len(videos) == NUM_VIDEOS
    assert len(images) == NUM_IMAGES
    for video in videos:
        frames = decode(corpus / video)
        assert frames.shape == (NUM_FRAMES, SIZE, SIZE, 3), video
    for image in images:
        with Image.open(corpus / image) as still:
            assert still.size == (SIZE, SIZE) and still.mode == 'RGB'


def test_text_tokenizes_to_known_words(corpus):
    tokenizer = BertTokenizerFast(vocab_file=str(corpus / 'vocab.txt'),
                                  do_lower_case=True)
    assert [tokenizer.convert_tokens_to_ids(t) for t in
            ('[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]')] == [0, 1, 2, 3, 4]
    all_texts = list(texts(corpus))
    assert len(all_texts) > NUM_VIDEOS * 5
    for text in all_texts:
        ids = tokenizer(text)['input_ids']
        assert tokenizer.unk_token_id not in ids, text
        # Whole words only: no word is split into pieces.
        assert tokenizer.tokenize(text) == make_synthetic.words(text), text


def test_same_seed_same_corpus_other_seed_differs(corpus, corpus_again,
                                                  tmp_path):
    for name in (*ANNOTATIONS, 'video_meta.json'):
        path = Path('annotations') / name
        assert (corpus / path).read_bytes() == \
            (corpus_again / path).read_bytes(), name
    assert (corpus / 'vocab.txt').read_bytes() == \
        (corpus_again / 'vocab.txt').read_bytes()
    for entry in load(corpus, 'video_meta.json'):
        np.testing.assert_array_equal(decode(corpus / entry['video']),
                                      decode(corpus_again / entry['video']))
    other = generate(tmp_path / 'other', 1, '--workers', '1')
    for name in ('ret_test.json', 'qa_train.json', 'pretrain_image.json'):
        assert load(other, name) != load(corpus, name), name


def test_train_and_test_videos_are_disjoint(corpus):
    def videos(names):
        return {e['video'] for n in names for e in load(corpus, n)}

    train, test = videos(TRAIN_FILES), videos(TEST_FILES)
    assert train and test and not train & test
    meta = load(corpus, 'video_meta.json')
    assert train | test == {e['video'] for e in meta}
    assert test == {e['video'] for e in meta if e['split'] == 'test'}
    assert len(test) == round(NUM_VIDEOS * make_synthetic.TEST_FRACTION)


def test_captions_describe_their_video_and_differ(corpus):
    meta = {e['video']: e for e in load(corpus, 'video_meta.json')}
    canonical = [e['caption'] for e in meta.values()]
    assert len(set(canonical)) == len(canonical)
    for entry in load(corpus, 'ret_test.json'):
        events = meta[entry['video']]['events']
        assert entry['caption'][0] == meta[entry['video']]['caption']
        assert len(entry['caption']) >= 3
        shapes = [event['shape'] for event in events]
        assert all(shape in entry['caption'][0] for shape in shapes)
        for caption in entry['caption']:
            assert any(shape in caption for shape in shapes), caption
    for entry in load(corpus, 'ret_paragraph_test.json'):
        assert len(entry['caption']) == len(meta[entry['video']]['events'])


def test_multiple_choice_answer_is_the_true_caption(corpus):
    meta = {e['video']: e for e in load(corpus, 'video_meta.json')}
    items = load(corpus, 'mc_test.json')
    assert len(items) == len(load(corpus, 'ret_test.json'))
    for item in items:
        options = item['caption']
        assert len(options) == 5 and len(set(options)) == 5
        assert options[item['answer']] == meta[item['video']]['caption']
        others = {e['caption'] for v, e in meta.items() if v != item['video']}
        assert set(options) - {options[item['answer']]} <= others
    assert len({item['answer'] for item in items}) > 1


def test_questions_have_listed_answers(corpus):
    answers = set(load(corpus, 'qa_answer_list.json'))
    entries = load(corpus, 'qa_train.json') + load(corpus, 'qa_test.json')
    assert {e['answer'] for e in entries} <= answers
    ids = [e['question_id'] for e in entries]
    assert len(set(ids)) == len(ids)
    meta = {e['video']: e for e in load(corpus, 'video_meta.json')}
    for entry in entries:
        if entry['question'] == 'how many shapes are there?':
            count = len(meta[entry['video']]['events'])
            assert entry['answer'] == ('one', 'two', 'three')[count - 1]


def _high_frequency(frame):
    """Mean absolute difference between horizontally adjacent pixels."""
    return np.abs(np.diff(frame.astype(np.int16), axis=1)).mean()


def test_distractor_frames_stand_out(corpus):
    kinds = set()
    for entry in load(corpus, 'video_meta.json'):
        frames = decode(corpus / entry['video'])
        bad = {d['frame']: d['kind'] for d in entry['distractors']}
        for t, frame in enumerate(frames):
            kind = bad.get(t)
            kinds.add(kind)
            if kind is None:
                # A content frame: mostly the flat grey background.
                assert _high_frequency(frame) < 10
                assert abs(np.median(frame) - 40) < 5
            elif kind == 'noise':
                assert _high_frequency(frame) > 40
            elif kind == 'blank':
                assert frame.max() < 20
            else:
                # Shake: translated with a black border band.
                assert (frame.max(axis=-1) < 15).mean() > 0.1
    assert kinds == {None, *synthetic_scenes.DISTRACTOR_KINDS}


@pytest.mark.parametrize('kind', synthetic_scenes.EVENT_KINDS)
def test_pixels_show_the_event(kind):
    rng = np.random.default_rng(0)
    scene = synthetic_scenes.sample_scene(rng, NUM_FRAMES)
    while not (len(scene.events) == 1 and scene.events[0].kind == kind
               and not scene.distractors):
        scene = synthetic_scenes.sample_scene(rng, NUM_FRAMES)
    event = scene.events[0]
    frames = synthetic_render.render_clip(scene, SIZE)

    def where(frame, colour):
        rgb = synthetic_render.PALETTE[colour]
        return np.argwhere((frame == rgb).all(axis=-1))

    first, last = frames[0], frames[-1]
    if kind == 'move':
        step = np.array(synthetic_scenes.DIRECTIONS[event.direction][::-1])
        shift = where(last, event.colour).mean(0) - where(
            first, event.colour).mean(0)  # (row, column)
        assert shift @ step > 0.3 * SIZE
    elif kind == 'appear':
        assert len(where(first, event.colour)) == 0
        assert len(where(last, event.colour)) > 20
    elif kind == 'disappear':
        assert len(where(first, event.colour)) > 20
        assert len(where(last, event.colour)) == 0
    else:
        assert len(where(first, event.colour)) > 20
        assert len(where(last, event.colour)) == 0
        assert len(where(last, event.new_colour)) > 20


def test_skip_if_complete_force_and_argument_change(tmp_path):
    out = generate(tmp_path / 'corpus', 3, '--workers', '1')
    complete = (out / '.complete').stat().st_mtime_ns
    command = [sys.executable, str(TOOLS_DATA / 'make_synthetic.py'),
               '--out', str(out), '--seed', '3', '--num-videos',
               str(NUM_VIDEOS), '--num-frames', str(NUM_FRAMES),
               '--num-images', str(NUM_IMAGES)]
    result = subprocess.run(command, capture_output=True, text=True,
                            check=True)
    assert 'nothing to do' in result.stdout
    assert (out / '.complete').stat().st_mtime_ns == complete
    subprocess.run([*command, '--force', '--workers', '1'],
                   capture_output=True, check=True)
    assert (out / '.complete').stat().st_mtime_ns != complete
    # Fewer videos: the stale clips of the bigger corpus are removed.
    generate(out, 3, '--workers', '1', '--num-videos', '6')
    assert len(list((out / 'videos').glob('*.mp4'))) == 6
    assert json.loads((out / '.complete').read_text())['num_videos'] == 6


def test_large_frames(tmp_path):
    out = tmp_path / 'big'
    make_synthetic.main(['--out', str(out), '--num-videos', '5',
                         '--num-frames', '4', '--size', '224',
                         '--num-images', '1', '--workers', '1'])
    for entry in load(out, 'video_meta.json'):
        assert decode(out / entry['video']).shape == (4, 224, 224, 3)


def test_unwritable_output_is_named(tmp_path):
    blocker = tmp_path / 'a_file'
    blocker.write_text('not a folder')
    with pytest.raises(SystemExit, match='a_file'):
        generate(blocker / 'corpus')


def test_bad_flag_is_named(tmp_path, capsys):
    with pytest.raises(SystemExit):
        make_synthetic.main(['--out', str(tmp_path), '--size', '63'])
    assert '--size' in capsys.readouterr().err
