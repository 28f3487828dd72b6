"""Reading, validating and writing smaug's annotation files.

An annotation file is a JSON list of entries, or JSON lines (``.jsonl``: one
entry per line), in Singularity's format: ``{"video": "rel/path.mp4",
"caption": "..." | [...]}`` (``"image"`` instead of ``"video"`` for images),
QA ``{"video", "question", "answer", "question_id"}``, MC ``{"video",
"caption": [options], "answer": i}``.

Everything wrong with a file is reported at start-up as an
:class:`AnnotationError` naming the file, the entry index and the key, so a
malformed file never reaches a dataloader worker.
"""
import json
import os
import os.path as osp
import tempfile

from mmengine.fileio import get_text

MEDIA_KEYS = ('video', 'image')


class AnnotationError(ValueError):
    """A malformed annotation file; the message names file, entry and key."""


def load_annotation_file(path, backend_args=None):
    """Load the entries of a JSON-list or JSON-lines annotation file.

    Args:
        path (str): The file; ``.jsonl`` files are read as JSON lines.
        backend_args (dict, optional): mmengine file backend arguments.

    Returns:
        list[dict]: The entries, in file order.
    """
    try:
        text = get_text(path, backend_args=backend_args)
    except FileNotFoundError as err:
        raise AnnotationError(f'{path}: annotation file not found') from err
    if str(path).endswith('.jsonl'):
        entries = []
        for line_no, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                entries.append(json.loads(line))
            except json.JSONDecodeError as err:
                raise AnnotationError(
                    f'{path}: entry {len(entries)} (line {line_no}) is not '
                    f'valid JSON: {err.msg} at column {err.colno}') from err
    else:
        try:
            entries = json.loads(text)
        except json.JSONDecodeError as err:
            raise AnnotationError(
                f'{path}: invalid JSON at line {err.lineno} column '
                f'{err.colno}: {err.msg}') from err
        if not isinstance(entries, list):
            raise AnnotationError(
                f'{path}: expected a JSON list of entries (or a .jsonl file '
                f'with one entry per line), got a {type(entries).__name__}')
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict):
            raise AnnotationError(
                f'{path}: entry {index} must be a JSON object, got '
                f'{type(entry).__name__}')
    return entries


def require(entry, key, types, path, index):
    """Return ``entry[key]``, checking presence and type.

    Args:
        entry (dict): One annotation entry.
        key (str): The key to read.
        types (type | tuple[type]): Accepted Python types.
        path (str): The annotation file (for the message).
        index (int): The entry index (for the message).
    """
    if key not in entry:
        raise AnnotationError(f'{path}: entry {index}: missing key {key!r}')
    value = entry[key]
    # bool is an int subclass; a JSON true/false is never a valid index/id.
    if not isinstance(value, types) or isinstance(value, bool):
        names = ' or '.join(
            t.__name__ for t in (types if isinstance(types, tuple) else
                                 (types, )))
        raise AnnotationError(
            f'{path}: entry {index}: key {key!r} must be {names}, got '
            f'{type(value).__name__} ({value!r:.60})')
    return value


def require_text(entry, key, path, index):
    """Return a non-empty string field.

    Args:
        entry (dict): One annotation entry.
        key (str): The key to read.
        path (str): The annotation file (for the message).
        index (int): The entry index (for the message).
    """
    value = require(entry, key, str, path, index)
    if not value.strip():
        raise AnnotationError(f'{path}: entry {index}: key {key!r} is empty')
    return value


def require_text_list(entry, key, path, index):
    """Return a string-or-list-of-strings field as a non-empty list.

    Args:
        entry (dict): One annotation entry.
        key (str): The key to read (e.g. ``'caption'``).
        path (str): The annotation file (for the message).
        index (int): The entry index (for the message).
    """
    value = require(entry, key, (str, list), path, index)
    texts = [value] if isinstance(value, str) else value
    if not texts:
        raise AnnotationError(
            f'{path}: entry {index}: key {key!r} is an empty list')
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            raise AnnotationError(
                f'{path}: entry {index}: key {key!r}[{i}] must be str, got '
                f'{type(text).__name__}')
        if not text.strip():
            where = f'{key!r}[{i}]' if isinstance(value, list) else repr(key)
            raise AnnotationError(
                f'{path}: entry {index}: key {where} is empty')
    return texts


def media_of(entry, path, index):
    """Return ``(media_key, relative_path)`` of an entry.

    Args:
        entry (dict): One annotation entry with ``"video"`` or ``"image"``.
        path (str): The annotation file (for the message).
        index (int): The entry index (for the message).
    """
    present = [key for key in MEDIA_KEYS if key in entry]
    if len(present) != 1:
        raise AnnotationError(
            f'{path}: entry {index}: needs exactly one of the keys '
            f"'video' or 'image', found {present or 'neither'}")
    return present[0], require_text(entry, present[0], path, index)


def dump_annotation_file(entries, path):
    """Write entries as a JSON list (or JSON lines for ``.jsonl``), atomically.

    The file is written to a temporary name beside ``path`` and renamed, so
    an interrupted converter never leaves a truncated annotation file.

    Args:
        entries (list[dict]): The entries.
        path (str): Output file; parent folders are created.
    """
    folder = osp.dirname(osp.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, suffix='.tmp')
    try:
        with os.fdopen(fd, 'w', encoding='utf-8') as f:
            if str(path).endswith('.jsonl'):
                for entry in entries:
                    f.write(json.dumps(entry, ensure_ascii=False) + '\n')
            else:
                json.dump(entries, f, ensure_ascii=False)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
