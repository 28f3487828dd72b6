"""An on-disk cache of the VTC embeddings of a folder of videos, with the
faiss index that searches them.

Layout of an index folder::

    manifest.json              which folder, which model, which files
    embeddings-<token>.npy     (n, E) float16, row i = manifest "videos"[i]
    neighbours-<token>.faiss   faiss index of those rows (NeighbourIndex)
    .lock                      taken while updating

``manifest.json`` holds ``format``, ``folder`` (absolute), ``fingerprint``
(:func:`smaug.apis.model_fingerprint`), ``embeddings`` (the name of the
embeddings file), ``neighbours`` (the faiss file's ``file`` name and its
:attr:`NeighbourIndex.info`, or None), ``videos`` (``path`` relative to the
folder, ``size`` in bytes, ``mtime_ns``, in row order) and ``unreadable``
(path -> ``size``, ``mtime_ns``, ``reason``). A file is re-embedded when its
size or mtime changed and dropped when it is gone; an unreadable entry is
retried only when it changed. Another model (weights, model config or video
pipeline) or another folder invalidates the whole cache; a cache of format
1 (float32 embeddings, no faiss index) is converted without re-embedding.

Both data files are memory-mapped when read: a query pages in what the
faiss index scans, and an update holds in memory only the rows it keeps
when files were removed or changed (float16: 2 x E bytes per video) and the
new rows. The faiss index is derived from the embeddings: exact up to
``exact_limit`` videos, approximate (IVF) above where that pays
(:class:`NeighbourIndex`), rebuilt after every update (an IVF index
reuses its trained cells while the gallery stays within a factor of 2 of
the size they were trained on).

Writes are crash-safe: new data files under a fresh token, then the
manifest through a temporary file and a rename, then removal of the old
data files, so the manifest always names complete files. Only VTC
embeddings are cached; the much larger tokens that VTM re-ranking needs are
recomputed for a query's few candidates (:func:`smaug.apis.search_videos`).
"""
import json
import os
import os.path as osp
import time
import uuid

import numpy as np
from tqdm import tqdm

from .index_storage import (exclusive_lock, reporting_unwritable,
                            write_atomically)
from .neighbour_index import BLOCK_ROWS, EXACT_LIMIT, NeighbourIndex

VIDEO_EXTENSIONS = ('.mp4', '.avi', '.mkv', '.mov', '.webm', '.m4v', '.mpg',
                    '.mpeg', '.flv', '.wmv', '.3gp', '.ogv', '.gif')
MANIFEST = 'manifest.json'
FORMAT = 2
#: The reason given for a folder whose name ends like a video file's.
FOLDER_REASON = 'a folder, not a video file (the videos inside it are ' \
    'indexed on their own)'
DATA_PREFIXES = ('embeddings-', 'neighbours-')


def scan_videos(folder, extensions=VIDEO_EXTENSIONS):
    """Find the video files under a folder, recursively.

    Hidden folders (a name starting with '.') are skipped; symbolic links
    to files are followed, links to folders are not (no cycles). A link
    that leads nowhere (a loop, a missing target) is listed with the link's
    own size and time, so that reading it reports it as unreadable. A
    folder whose name ends like a video (``clip.mp4/``) is listed too, so
    that it is reported, and searched like any other folder.

    Args:
        folder (str): The folder.
        extensions (Sequence[str]): Lower-case file name endings.

    Returns:
        dict[str, tuple[int, int]]: Relative POSIX path -> (size in bytes,
        mtime in ns), sorted by path.
    """
    if not osp.isdir(folder):
        raise FileNotFoundError(f'{folder}: no such folder of videos')
    found = {}
    for root, dirs, files in os.walk(folder):
        dirs[:] = [name for name in dirs if not name.startswith('.')]
        for name in files + dirs:
            if not name.lower().endswith(tuple(extensions)):
                continue
            path = osp.join(root, name)
            try:
                stat = os.stat(path)
            except OSError:  # a link to nowhere, or deleted just now
                try:
                    stat = os.lstat(path)
                except FileNotFoundError:
                    continue
            rel = osp.relpath(path, folder).replace(os.sep, '/')
            found[rel] = (stat.st_size, stat.st_mtime_ns)
    return dict(sorted(found.items()))


def _write_npy(file, chunks, dim):
    """Write float16 ``chunks`` (row blocks of width ``dim``) as one .npy
    array, block by block."""
    rows = sum(len(chunk) for chunk in chunks)
    np.lib.format.write_array_header_1_0(file, dict(
        descr=np.dtype(np.float16).str, fortran_order=False,
        shape=(rows, dim)))
    for chunk in chunks:
        for start in range(0, len(chunk), BLOCK_ROWS):
            block = np.ascontiguousarray(chunk[start:start + BLOCK_ROWS],
                                         np.float16)
            file.write(block.data)


class VideoIndex:
    """The cached embeddings of the videos under ``folder`` for one model.

    Args:
        index_dir (str): Where the cache lives (created if needed).
        folder (str): The folder of videos.
        fingerprint (dict): :func:`smaug.apis.model_fingerprint` of the
            model that embeds them.
        exact_limit (int): Largest gallery searched exactly; a larger one
            gets an approximate (IVF) index. Defaults to
            :data:`smaug.apis.neighbour_index.EXACT_LIMIT`.
    """

    def __init__(self, index_dir, folder, fingerprint,
                 exact_limit=EXACT_LIMIT):
        self.index_dir = osp.abspath(index_dir)
        self.folder = osp.abspath(folder)
        self.fingerprint = dict(fingerprint)
        self.exact_limit = exact_limit
        self.videos = []
        self.unreadable = {}
        self.neighbours = None
        self._chunks = []

    @property
    def embeddings(self):
        """(n, E) float16 array (memory-mapped after a read or a save), row
        i for ``self.videos[i]``."""
        if not self._chunks:
            return np.zeros((0, 0), np.float16)
        if len(self._chunks) > 1:
            self._chunks = [np.concatenate(self._chunks)]
        return self._chunks[0]

    def gallery(self):
        """The indexed videos as a search gallery.

        Returns:
            tuple[list[str], NeighbourIndex | None]: Absolute paths and the
            faiss index of their unit-norm embeddings (None when no video
            is indexed).
        """
        paths = [osp.join(self.folder, entry['path'])
                 for entry in self.videos]
        return paths, self.neighbours

    def _read(self):
        """Load the cache; return why it cannot be used, or None."""
        manifest_path = osp.join(self.index_dir, MANIFEST)
        if not osp.exists(manifest_path):
            return 'no index yet'
        try:
            with open(manifest_path) as file:
                manifest = json.load(file)
            if manifest.get('format') not in (1, FORMAT):
                return f'index format {manifest.get("format")!r} is not ' \
                       f'{FORMAT}'
            if manifest['folder'] != self.folder:
                return f'it indexed another folder ({manifest["folder"]})'
            changed = sorted(key for key in self.fingerprint
                             if manifest['fingerprint'].get(key) !=
                             self.fingerprint[key])
            if changed:
                return f'another model ({", ".join(changed)} changed)'
            embeddings = np.load(
                osp.join(self.index_dir, manifest['embeddings']),
                mmap_mode='r')
            videos = manifest['videos']
            unreadable = manifest['unreadable']
            neighbours = self._read_neighbours(manifest.get('neighbours'))
        except (OSError, ValueError, KeyError, TypeError) as error:
            return f'unusable index files ({type(error).__name__}: {error})'
        if len(embeddings) != len(videos):
            return f'{len(embeddings)} embeddings for {len(videos)} videos'
        self.videos, self.unreadable = videos, unreadable
        self.neighbours = neighbours
        self._chunks = [embeddings if embeddings.dtype == np.float16 else
                        embeddings.astype(np.float16)] if videos else []
        return None

    def _read_neighbours(self, entry):
        """The saved faiss index of ``entry``, or None (to be rebuilt from
        the embeddings) when there is none, it cannot be read, or it was
        built under another ``exact_limit``."""
        if entry is None or \
                entry['info'].get('exact_limit') != self.exact_limit:
            return None
        try:
            return NeighbourIndex.load(
                osp.join(self.index_dir, entry['file']), entry['info'])
        except RuntimeError:  # how faiss reports a missing or torn file
            return None

    def save(self, search=True):
        """Write the embeddings, the faiss index (``search=True``), then the
        manifest, then drop stale files.

        Args:
            search (bool): Also (re)build and write the faiss index; the
                periodic saves of a long update skip it.
        """
        token = uuid.uuid4().hex[:16]
        name = f'embeddings-{token}.npy'
        path = osp.join(self.index_dir, name)
        dim = self._chunks[0].shape[1] if self._chunks else 0
        with reporting_unwritable(self.index_dir):
            write_atomically(path, lambda file: _write_npy(
                file, self._chunks, dim))
            self._chunks = [np.load(path, mmap_mode='r')] if \
                self.videos else []
            neighbours_entry = None
            if search and self.videos:
                self.neighbours = NeighbourIndex.build(
                    self.embeddings, self.exact_limit,
                    previous=self.neighbours)
                neighbours_entry = dict(file=f'neighbours-{token}.faiss',
                                        info=self.neighbours.info)
                neighbours_path = osp.join(self.index_dir,
                                           neighbours_entry['file'])
                write_atomically(neighbours_path, self.neighbours.save)
                self.neighbours = NeighbourIndex.load(
                    neighbours_path, self.neighbours.info)
            elif search:
                self.neighbours = None
            manifest = dict(format=FORMAT, folder=self.folder,
                            fingerprint=self.fingerprint, embeddings=name,
                            neighbours=neighbours_entry, videos=self.videos,
                            unreadable=self.unreadable)
            write_atomically(osp.join(self.index_dir, MANIFEST),
                             lambda file: file.write(
                                 json.dumps(manifest).encode()))
            current = {name, (neighbours_entry or {}).get('file')}
            for old in os.listdir(self.index_dir):
                if old.startswith(DATA_PREFIXES) and old not in current:
                    os.remove(osp.join(self.index_dir, old))

    def update(self, embed, save_interval=300., progress=None,
               on_progress=None):
        """Bring the cache up to date with the folder.

        Args:
            embed (callable): Called once with the list of absolute paths to
                embed; returns an iterable of batches as
                :func:`smaug.apis.iter_video_embeddings` yields them
                (``paths``, ``emb``, ``skipped``).
            save_interval (float): Also save every this many seconds while
                embedding, so an interrupted run keeps most of its work.
            progress (bool, optional): Show a progress bar; None shows it on
                a terminal only.
            on_progress (callable, optional): Called as
                ``on_progress(stage, done, total)`` when embedding starts,
                after each batch (stage 'embedding', in files) and before the
                faiss index is built (stage 'search index', in videos).

        Returns:
            dict: ``rebuilt`` (why the old cache was discarded, or None),
            counts ``new``, ``changed``, ``removed``, ``unchanged``,
            ``unreadable`` (entries left out, old and new) and ``total``
            (the videos indexed now).
        """
        with reporting_unwritable(self.index_dir):
            os.makedirs(self.index_dir, exist_ok=True)
        with exclusive_lock(self.index_dir):
            return self._update_locked(embed, save_interval, progress,
                                       on_progress or (lambda *args: None))

    def _update_locked(self, embed, save_interval, progress, on_progress):
        """:meth:`update` with the lock held."""
        rebuilt = self._read()
        if rebuilt is not None:
            self.videos, self.unreadable, self._chunks = [], {}, []
            self.neighbours = None
        on_disk = scan_videos(self.folder)
        known = {entry['path']: (entry['size'], entry['mtime_ns'])
                 for entry in self.videos}
        known.update({path: (entry['size'], entry['mtime_ns'])
                      for path, entry in self.unreadable.items()})
        stats = dict(
            rebuilt=rebuilt,
            new=sum(path not in known for path in on_disk),
            changed=sum(path in on_disk and on_disk[path] != stat
                        for path, stat in known.items()),
            removed=sum(path not in on_disk for path in known))
        keep = [row for row, entry in enumerate(self.videos)
                if on_disk.get(entry['path']) == known[entry['path']]]
        if len(keep) < len(self.videos):
            self._chunks = [self.embeddings[keep]] if keep else []
            self.videos = [self.videos[row] for row in keep]
        self.unreadable = {path: entry
                           for path, entry in self.unreadable.items()
                           if on_disk.get(path) == known[path]}
        stats['unchanged'] = len(self.videos) + len(self.unreadable)
        todo = [path for path in on_disk
                if known.get(path) != on_disk[path]]
        if todo:
            self._embed(todo, on_disk, embed, save_interval, progress,
                        on_progress)
        if todo or rebuilt or stats['removed'] or stats['changed'] or \
                (self.videos and self.neighbours is None):
            on_progress('search index', 0, len(self.videos))
            self.save()
        stats.update(unreadable=len(self.unreadable), total=len(self.videos))
        return stats

    def _embed(self, todo, on_disk, embed, save_interval, progress,
               on_progress):
        """Embed the entries ``todo`` (relative paths), saving now and then;
        folders among them are recorded as unreadable."""
        folders = [path for path in todo
                   if osp.isdir(osp.join(self.folder, path))]
        for path in folders:
            size, mtime_ns = on_disk[path]
            self.unreadable[path] = dict(size=size, mtime_ns=mtime_ns,
                                         reason=FOLDER_REASON)
        files = [path for path in todo if path not in folders]
        done = len(folders)
        on_progress('embedding', done, len(todo))
        last_save = time.monotonic()
        bar = tqdm(total=len(todo), initial=done, desc='indexing videos',
                   unit='video', dynamic_ncols=True,
                   disable=None if progress is None else not progress)
        with bar:
            for batch in embed([osp.join(self.folder, p) for p in files]):
                for path in batch['paths']:
                    rel = osp.relpath(path, self.folder).replace(os.sep, '/')
                    size, mtime_ns = on_disk[rel]
                    self.videos.append(
                        dict(path=rel, size=size, mtime_ns=mtime_ns))
                if batch['paths']:
                    self._chunks.append(
                        batch['emb'].numpy().astype(np.float16))
                for path, reason in batch['skipped'].items():
                    rel = osp.relpath(path, self.folder).replace(os.sep, '/')
                    size, mtime_ns = on_disk[rel]
                    self.unreadable[rel] = dict(size=size, mtime_ns=mtime_ns,
                                                reason=reason)
                num = len(batch['paths']) + len(batch['skipped'])
                done += num
                bar.update(num)
                on_progress('embedding', done, len(todo))
                if time.monotonic() - last_save > save_interval:
                    self.save(search=False)
                    last_save = time.monotonic()
