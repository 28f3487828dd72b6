"""Parsed annotations written once to a file that every process maps.

A dataset's data infos are pickled one after the other into a store file;
the file is memory-mapped read-only, so every rank and dataloader worker of
a machine reads the same page-cache pages (one copy per machine, not per
process), and a process never holds the entries as Python objects. The
arrays are what mmengine's ``serialize_data`` makes (the pickles end to
end, and the end offset of each), so ``BaseDataset.get_data_info``,
``len``, ``get_subset`` and the samplers work on them unchanged.

Layout: ``MAGIC``, the pickles, padding to 8 bytes, the offsets (int64),
the pickled ``meta`` dict, then ``FOOTER`` (pickle bytes, items, meta bytes)
and ``MAGIC`` again.

A store is named after the annotation file, what the parsing depends on
(the dataset's settings and the source of its classes) and the file's size
and modification time, so an edited file or a changed setting makes a new
store (older ones of the same file and settings are deleted). The process
that creates ``<store>.lock`` first parses the file; the others wait for
the store (a lock not touched for ``STALE_LOCK_S`` seconds is taken over).
The store is written under a temporary name and renamed, so a reader never
sees a partial store, even when processes of several machines sharing a
file system build it at once. Where the folder is not writable the store
is built in memory, and a warning says so once per folder.
"""
import hashlib
import io
import json
import logging
import mmap
import os
import os.path as osp
import pickle
import struct
import tempfile
import time
from array import array

import numpy as np
from mmengine.logging import print_log

MAGIC = b'SMAUGAS1'
FOOTER = struct.Struct('<qqq')
STALE_LOCK_S = 120
POLL_S = 0.2
TOUCH_EVERY = 20000  # items between two touches of the lock
_warned_folders = set()
_mapped = {}  # store file: (inode, size, mtime), read_store's arrays


class StoreError(ValueError):
    """A store file that is not a complete store."""


def write_store(file, infos, meta):
    """Write data infos as a store.

    Args:
        file (io.BufferedIOBase): A binary file open for writing.
        infos (Iterable[dict]): The data infos, consumed once.
        meta (Callable[[], dict]): Called once ``infos`` is exhausted; its
            dict is stored beside them.
    """
    file.write(MAGIC)
    lengths = array('q')
    for info in infos:
        data = pickle.dumps(info, protocol=4)
        file.write(data)
        lengths.append(len(data))
    total = sum(lengths)
    file.write(b'\0' * (-(len(MAGIC) + total) % 8))
    file.write(np.cumsum(np.frombuffer(lengths, np.int64),
                         dtype='<i8').tobytes())
    meta_bytes = pickle.dumps(meta(), protocol=4)
    file.write(meta_bytes)
    file.write(FOOTER.pack(total, len(lengths), len(meta_bytes)))
    file.write(MAGIC)


def read_store(buffer):
    """Split a store into mmengine's serialised arrays and its meta dict.

    Args:
        buffer (np.ndarray): The store's bytes (uint8; a view, not copied).

    Returns:
        tuple[np.ndarray, np.ndarray, dict]: ``data_bytes``,
        ``data_address`` (end offsets) and ``meta``.
    """
    tail = len(buffer) - FOOTER.size - len(MAGIC)
    if tail < len(MAGIC) or bytes(buffer[:len(MAGIC)]) != MAGIC or \
            bytes(buffer[-len(MAGIC):]) != MAGIC:
        raise StoreError('not a complete annotation store')
    total, items, meta_len = FOOTER.unpack(bytes(buffer[tail:tail +
                                                        FOOTER.size]))
    start = len(MAGIC) + total + (-(len(MAGIC) + total) % 8)
    meta_start = start + 8 * items
    if meta_start + meta_len != tail:
        raise StoreError('inconsistent annotation store')
    data_address = buffer[start:meta_start].view('<i8')
    meta = pickle.loads(buffer[meta_start:tail].tobytes())
    return buffer[len(MAGIC):len(MAGIC) + total], data_address, meta


def iter_store(data_bytes, data_address):
    """Yield the data infos of serialised arrays, one at a time.

    Args:
        data_bytes (np.ndarray): The pickles end to end.
        data_address (np.ndarray): The end offset of each.
    """
    start = 0
    for end in data_address.tolist():
        yield pickle.loads(memoryview(data_bytes[start:end]))
        start = end


def map_store(path):
    """Memory-map a store file read-only and split it (:func:`read_store`).
    A process maps a file once: datasets of the same store share the
    arrays.

    Args:
        path (str): The store file.
    """
    with open(path, 'rb') as file:
        stat = os.fstat(file.fileno())
        version = (stat.st_ino, stat.st_size, stat.st_mtime_ns)
        if path in _mapped and _mapped[path][0] == version:
            return _mapped[path][1]
        mapping = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
    _mapped[path] = (version, read_store(np.frombuffer(mapping, np.uint8)))
    return _mapped[path][1]


def is_whole_store(path, data_bytes, data_address):
    """Whether the arrays are the store at ``path`` as this process mapped
    it (not a subset, not a copy).

    Args:
        path (str | None): A store file.
        data_bytes (np.ndarray): A dataset's pickles.
        data_address (np.ndarray): Their end offsets.
    """
    if path not in _mapped:
        return False
    arrays = _mapped[path][1]
    return arrays[0] is data_bytes and arrays[1] is data_address


def store_in_memory(infos, meta):
    """Build a store in memory (same arrays as :func:`map_store`).

    Args:
        infos (Iterable[dict]): The data infos.
        meta (Callable[[], dict]): See :func:`write_store`.
    """
    file = io.BytesIO()
    write_store(file, infos, meta)
    return read_store(np.frombuffer(file.getbuffer(), np.uint8))


def store_path(folder, ann_file, settings):
    """The store file of an annotation file parsed with some settings.

    Args:
        folder (str): The cache folder.
        ann_file (str): The annotation file (local).
        settings (dict): Everything the parsing depends on (JSON-able).
    """
    stat = os.stat(ann_file)
    what = hashlib.sha256(json.dumps(
        [osp.realpath(ann_file), settings], sort_keys=True).encode())
    version = f'{stat.st_size}-{stat.st_mtime_ns}'.encode()
    return osp.join(
        folder, f'{osp.basename(ann_file)}.{what.hexdigest()[:16]}.'
        f'{hashlib.sha256(version).hexdigest()[:16]}.store')


def shared_store(path, infos, meta):
    """Map the store at ``path``, building it first if it is missing.

    Args:
        path (str): The store file (see :func:`store_path`).
        infos (Callable[[], Iterable[dict]]): Makes the data infos; called
            only by the process that builds the store.
        meta (Callable[[], dict]): See :func:`write_store`.

    Returns:
        tuple[np.ndarray, np.ndarray, dict, str | None]: ``data_bytes``,
        ``data_address``, ``meta`` and the store file (None when the folder
        is not writable and the store was built in memory).
    """
    lock = path + '.lock'
    waited = False
    while True:
        try:
            return (*map_store(path), path)
        except (FileNotFoundError, NotADirectoryError):
            pass
        except StoreError:  # damaged (e.g. copied half): build it again
            _remove(path)
        try:
            descriptor = _create_lock(lock)
            if descriptor is not None:
                try:
                    _build(path, _touching(infos(), lock), meta)
                finally:
                    os.close(descriptor)
                    _remove(lock)
                continue
        except OSError as err:  # read-only, no space left, ...
            _warn_not_writable(osp.dirname(path), err)
            return (*store_in_memory(infos(), meta), None)
        if not waited:
            print_log(f'Waiting for another process to write {path}',
                      logger='current')
            waited = True
        _take_over_if_stale(lock)
        time.sleep(POLL_S)


def _create_lock(lock):
    """Create ``lock`` (and its folder); None if it exists already.

    Args:
        lock (str): The lock file.

    Returns:
        int | None: Its descriptor.
    """
    os.makedirs(osp.dirname(lock), exist_ok=True)
    try:
        return os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        return None


def _build(path, infos, meta):
    """Write the store to a temporary file, rename it, delete older
    stores of the same file and settings."""
    folder, name = osp.split(path)
    stem = name.rsplit('.', 2)[0]
    start = time.perf_counter()
    descriptor, temporary = tempfile.mkstemp(dir=folder, prefix=name,
                                             suffix='.tmp')
    try:
        with os.fdopen(descriptor, 'wb') as file:
            write_store(file, infos, meta)
        os.replace(temporary, path)
    except BaseException:
        _remove(temporary)
        raise
    for other in os.listdir(folder):
        other_path = osp.join(folder, other)
        if not other.startswith(stem + '.') or other == name:
            continue
        if other.endswith('.store') or other.endswith('.tmp') and \
                _age(other_path) > STALE_LOCK_S:
            _remove(other_path)
    print_log(
        f'Wrote the annotation store {path} ({osp.getsize(path) / 2**20:.0f}'
        f' MiB) in {time.perf_counter() - start:.1f} s; every process of '
        'this machine maps it', logger='current')


def _touching(infos, lock):
    """Yield ``infos``, touching ``lock`` now and then (it is alive)."""
    for count, info in enumerate(infos, 1):
        if count % TOUCH_EVERY == 0:
            os.utime(lock)
        yield info


def _take_over_if_stale(lock):
    """Delete a lock its process no longer touches (it was killed)."""
    if _age(lock) > STALE_LOCK_S:
        _remove(lock)


def _age(path):
    """Seconds since ``path`` was modified (0 if it is gone)."""
    try:
        return time.time() - os.stat(path).st_mtime
    except FileNotFoundError:
        return 0


def _warn_not_writable(folder, err):
    """Say once per folder that stores are built in memory there."""
    if folder in _warned_folders:
        return
    _warned_folders.add(folder)
    print_log(
        f'Cannot write annotation stores to {folder} ({err}); each process '
        'keeps its own copy of the parsed annotations in memory. Set the '
        "datasets' cache_dir to a writable folder to share one copy.",
        logger='current', level=logging.WARNING)


def _remove(path):
    """Delete a file if it exists."""
    try:
        os.remove(path)
    except FileNotFoundError:
        pass
