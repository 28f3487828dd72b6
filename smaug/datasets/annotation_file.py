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
import io
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
    return list(iter_annotation_file(path, backend_args))


def iter_annotation_file(path, backend_args=None):
    """Yield the entries of a JSON-list or JSON-lines annotation file, one
    at a time: a local file is read in chunks, so its text and its entries
    are never all in memory at once.

    Args:
        path (str): The file; ``.jsonl`` files are read as JSON lines.
        backend_args (dict, optional): mmengine file backend arguments (a
            file read through a backend is fetched whole first).

    Yields:
        dict: The entries, in file order.
    """
    try:
        if backend_args is None and '://' not in str(path):
            stream = open(path, encoding='utf-8')
        else:
            stream = io.StringIO(get_text(path, backend_args=backend_args))
    except FileNotFoundError as err:
        raise AnnotationError(f'{path}: annotation file not found') from err
    with stream:
        if str(path).endswith('.jsonl'):
            entries = _json_lines(stream, path)
        else:
            entries = JSONListReader(stream, path)
        for index, entry in enumerate(entries):
            if not isinstance(entry, dict):
                raise AnnotationError(
                    f'{path}: entry {index} must be a JSON object, got '
                    f'{type(entry).__name__}')
            yield entry


def _json_lines(stream, path):
    """Yield the values of the non-blank lines of a JSON-lines stream.

    Args:
        stream (io.TextIOBase): The open file.
        path (str): The file (for messages).
    """
    index = 0
    for line_no, line in enumerate(stream, 1):
        if not line.strip():
            continue
        try:
            yield json.loads(line)
        except json.JSONDecodeError as err:
            raise AnnotationError(
                f'{path}: entry {index} (line {line_no}) is not valid JSON: '
                f'{err.msg} at column {err.colno}') from err
        index += 1


class JSONListReader:
    """Iterate over the items of a JSON list read from a text stream in
    chunks; memory holds one chunk and the item being decoded.

    Args:
        stream (io.TextIOBase): The open file.
        path (str): The file (for messages).
        chunk_chars (int): Characters read at a time. Defaults to 2**20.
    """

    def __init__(self, stream, path, chunk_chars=2**20):
        self.stream = stream
        self.path = path
        self.chunk_chars = chunk_chars
        self.decoder = json.JSONDecoder()
        self.text = ''
        self.pos = 0
        self.eof = False
        # position of self.text[0] in the file, for messages
        self.dropped_lines = 0
        self.dropped_line_chars = 0

    def __iter__(self):
        if self._next_char() != '[':
            self._not_a_list()
        self.pos += 1
        if self._next_char() == ']':
            self.pos += 1
        else:
            while True:
                yield self._decode_item()
                char = self._next_char()
                self.pos += 1
                if char == ']':
                    break
                if char != ',':
                    self._fail(self.pos - 1, "Expecting ',' delimiter")
        if self._next_char() is not None:
            self._fail(self.pos, 'Extra data')

    def _read_chunk(self):
        """Append a chunk to the text, dropping what was decoded; False at
        the end of the stream."""
        if self.eof:
            return False
        chunk = self.stream.read(self.chunk_chars)
        if not chunk:
            self.eof = True
            return False
        done = self.text[:self.pos]
        newlines = done.count('\n')
        self.dropped_lines += newlines
        self.dropped_line_chars = (len(done) - done.rfind('\n') - 1
                                   if newlines else
                                   self.dropped_line_chars + len(done))
        self.text = self.text[self.pos:] + chunk
        self.pos = 0
        return True

    def _next_char(self):
        """Skip whitespace; return the next character (None at the end)."""
        while True:
            while self.pos < len(self.text) and self.text[self.pos].isspace():
                self.pos += 1
            if self.pos < len(self.text):
                return self.text[self.pos]
            if not self._read_chunk():
                return None

    def _decode_item(self):
        """Decode the item at the current position, reading more text
        while it is incomplete."""
        self._next_char()
        while True:
            try:
                item, self.pos = self.decoder.raw_decode(self.text, self.pos)
                return item
            except json.JSONDecodeError as err:
                if not self._read_chunk():
                    self._fail(err.pos, err.msg)

    def _not_a_list(self):
        """Raise the error of a file whose top level is not a list."""
        while self._read_chunk():
            pass
        try:
            value = json.loads(self.text)
        except json.JSONDecodeError as err:
            self._fail(err.pos, err.msg)
        raise AnnotationError(
            f'{self.path}: expected a JSON list of entries (or a .jsonl file '
            f'with one entry per line), got a {type(value).__name__}')

    def _fail(self, pos, msg):
        """Raise an :class:`AnnotationError` at ``self.text[pos]``."""
        line_start = self.text.rfind('\n', 0, pos) + 1
        line = self.dropped_lines + self.text.count('\n', 0, pos) + 1
        column = pos - line_start + 1
        if line_start == 0:
            column += self.dropped_line_chars
        raise AnnotationError(
            f'{self.path}: invalid JSON at line {line} column {column}: '
            f'{msg}')


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
