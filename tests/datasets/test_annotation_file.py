"""Loading, validating and writing annotation files."""
import json

import pytest

from smaug.datasets import (AnnotationError, dump_annotation_file,
                            load_annotation_file)
from smaug.datasets.annotation_file import (media_of, require,
                                            require_text_list)

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


def test_bad_json_names_file_and_line(tmp_path):
    path = tmp_path / 'bad.json'
    path.write_text('[{"video": "a.mp4",\n "caption": "x"},\n {oops}]')
    with pytest.raises(AnnotationError,
                       match=rf'{path}: invalid JSON at line 3 column'):
        load_annotation_file(str(path))


def test_bad_json_line_names_entry(tmp_path):
    path = tmp_path / 'bad.jsonl'
    path.write_text('{"video": "a.mp4", "caption": "x"}\n\n{"video": \n')
    with pytest.raises(AnnotationError,
                       match=rf'{path}: entry 1 \(line 3\) is not valid JSON'):
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
