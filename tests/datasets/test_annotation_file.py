"""Loading, validating and writing annotation files."""
import io
import json
import re

import pytest

from smaug.datasets import (AnnotationError, dump_annotation_file,
                            load_annotation_file)
from smaug.datasets.annotation_file import (JSONListReader,
                                            iter_annotation_file, media_of,
                                            require, require_text_list)

ENTRIES = [{'video': 'a.mp4', 'caption': 'x'},
           {'video': 'b.mp4', 'caption': ['y', 'z']}]


@pytest.mark.parametrize('name', ['ann.json', 'ann.jsonl'])
def test_round_trip(tmp_path, name):
    path = tmp_path / 'sub' / name
    dump_annotation_file(ENTRIES, str(path))
    assert load_annotation_file(str(path)) == ENTRIES
    assert [p.name for p in path.parent.iterdir()] == [name]  # no temp left
    if name.endswith('.jsonl'):
        assert len(path.read_text().splitlines()) == 2


@pytest.mark.parametrize('name, text, where', [
    ('bad.json', '[{"video": "a.mp4",\n "caption": "x"},\n {oops}]',
     'invalid JSON at line 3 column'),
    ('bad.jsonl', '{"video": "a.mp4", "caption": "x"}\n\n{"video": \n',
     r'entry 1 \(line 3\) is not valid JSON'),
])
def test_bad_json_names_file_and_place(tmp_path, name, text, where):
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(AnnotationError, match=rf'{path}: {where}'):
        load_annotation_file(str(path))


def test_wrong_top_level_and_entry_types(tmp_path):
    path = tmp_path / 'dict.json'
    path.write_text(json.dumps({'video': 'a.mp4'}))
    with pytest.raises(AnnotationError, match='expected a JSON list'):
        load_annotation_file(str(path))
    path.write_text(json.dumps([{'video': 'a.mp4'}, 'b.mp4']))
    with pytest.raises(AnnotationError,
                       match='entry 1 must be a JSON object, got str'):
        load_annotation_file(str(path))
    with pytest.raises(AnnotationError, match='not found'):
        load_annotation_file(str(tmp_path / 'none.json'))


def test_field_checks_name_file_entry_and_key():
    with pytest.raises(AnnotationError,
                       match=r"f.json: entry 4: missing key 'caption'"):
        require_text_list({'video': 'a'}, 'caption', 'f.json', 4)
    with pytest.raises(AnnotationError,
                       match=r"f.json: entry 2: key 'caption' must be str or "
                       'list, got int'):
        require_text_list({'caption': 3}, 'caption', 'f.json', 2)
    with pytest.raises(AnnotationError,
                       match=r"entry 0: key 'caption'\[1\] is empty"):
        require_text_list({'caption': ['a', ' ']}, 'caption', 'f.json', 0)
    with pytest.raises(AnnotationError, match="entry 0: key 'caption' is "
                       'empty$'):
        require_text_list({'caption': ''}, 'caption', 'f.json', 0)
    with pytest.raises(AnnotationError, match=r"key 'caption'\[0\] must be "
                       'str, got int'):
        require_text_list({'caption': [1]}, 'caption', 'f.json', 0)
    with pytest.raises(AnnotationError, match="key 'answer' must be int, "
                       'got bool'):
        require({'answer': True}, 'answer', int, 'f.json', 0)
    with pytest.raises(AnnotationError, match="'video' or 'image', found "
                       r"\['video', 'image'\]"):
        media_of({'video': 'a', 'image': 'b'}, 'f.json', 0)
    assert media_of({'image': 'b.jpg'}, 'f.json', 0) == ('image', 'b.jpg')


MANY = [{'video': f'v{i}.mp4', 'caption': ['é ] ", {' * (i % 7), 'x'],
         'n': [i, {'a': None}]} for i in range(200)]
BROKEN = ['[{"a": 1},\n {"b": 2}\n {"c": 3}]', '[{"a": 1},\n  {oops}]',
          '[{"a": 1}] x', '[{"a": 1}', '  [\n{"a": 1},\n]']


@pytest.mark.parametrize('chunk_chars', [1, 7, 4096])
def test_json_list_read_in_chunks(chunk_chars):
    """A JSON list read a few characters at a time gives json's entries,
    and json's error line and column."""
    for indent in (None, 2):
        text = json.dumps(MANY, indent=indent, ensure_ascii=False)
        assert list(JSONListReader(io.StringIO(text), 'f.json',
                                   chunk_chars)) == MANY
    assert list(JSONListReader(io.StringIO(' [ ]\n'), 'f.json',
                               chunk_chars)) == []
    for text in BROKEN:
        with pytest.raises(json.JSONDecodeError) as expected:
            json.loads(text)
        err = expected.value
        with pytest.raises(AnnotationError,
                           match=rf'^f.json: invalid JSON at line {err.lineno}'
                           rf' column {err.colno}: {re.escape(err.msg)}$'):
            list(JSONListReader(io.StringIO(text), 'f.json', chunk_chars))


@pytest.mark.parametrize('name', ['a.json', 'a.jsonl'])
def test_entries_stream_before_the_file_is_read(tmp_path, name):
    """The first entries come before the end of the file is read (a large
    file is never held whole): here, before an error at its end."""
    path = tmp_path / name
    if name.endswith('.jsonl'):
        path.write_text(''.join(json.dumps(e) + '\n' for e in MANY) + '{')
    else:
        path.write_text(json.dumps(MANY * 50)[:-1] + ', {')
    entries = iter_annotation_file(str(path))
    assert next(entries) == MANY[0]
    with pytest.raises(AnnotationError, match='is not valid JSON|invalid '):
        list(entries)
