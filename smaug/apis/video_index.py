"""An on-disk cache of the VTC embeddings of a folder of videos.

Layout of an index folder::

    manifest.json              which folder, which model, which files
    embeddings-<token>.npy     (n, E) float32, row i = manifest "videos"[i]
    .lock                      taken while updating

``manifest.json`` holds ``format``, ``folder`` (absolute), ``fingerprint``
(:func:`smaug.apis.model_fingerprint`), ``embeddings`` (the embeddings
file), ``videos`` (``path`` relative to the folder, ``size``, ``mtime_ns``,
in row order) and ``unreadable`` (path -> ``size``, ``mtime_ns``,
``reason``). A changed file is re-embedded, a gone one dropped, an
unreadable one retried when it changed; another model or folder
invalidates the cache. The manifest is written last, atomically, so it
always names a complete embeddings file.
"""
import json
import os
import os.path as osp
import time
import uuid

import numpy as np
import torch
from tqdm import tqdm

from .index_storage import (exclusive_lock, reporting_unwritable,
                            write_atomically)

VIDEO_EXTENSIONS = ('.mp4', '.avi', '.mkv', '.mov', '.webm', '.m4v', '.mpg',
                    '.mpeg', '.flv', '.wmv', '.3gp', '.ogv', '.gif')
MANIFEST = 'manifest.json'
FORMAT = 1


def scan_videos(folder, extensions=VIDEO_EXTENSIONS):
    """Relative POSIX path -> (size, mtime in ns) of the video files under
    ``folder`` with one of ``extensions``, sorted. Hidden folders are
    skipped; links to files are followed, to folders not; a dangling link is
    listed (reading it reports it unreadable).
    """
    if not osp.isdir(folder):
        raise FileNotFoundError(f'{folder}: no such folder of videos')
    found = {}
    for root, dirs, files in os.walk(folder):
        dirs[:] = [name for name in dirs if not name.startswith('.')]
        for name in files:
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


class VideoIndex:
    """The cached embeddings of the videos under ``folder`` for one model.

    Args:
        index_dir (str): Where the cache lives (created if needed).
        folder (str): The folder of videos.
        fingerprint (dict): :func:`smaug.apis.model_fingerprint` of the
            model that embeds them.
    """

    def __init__(self, index_dir, folder, fingerprint):
        self.index_dir = osp.abspath(index_dir)
        self.folder = osp.abspath(folder)
        self.fingerprint = dict(fingerprint)
        self.videos = []
        self.unreadable = {}
        self._chunks = []

    @property
    def embeddings(self):
        """(n, E) float32 array, row i for ``self.videos[i]``."""
        if not self._chunks:
            return np.zeros((0, 0), np.float32)
        if len(self._chunks) > 1:
            self._chunks = [np.concatenate(self._chunks)]
        return self._chunks[0]

    def gallery(self):
        """Absolute paths of the indexed videos and their (n, E) unit-norm
        embeddings.
        """
        paths = [osp.join(self.folder, entry['path'])
                 for entry in self.videos]
        return paths, torch.from_numpy(self.embeddings)

    def _read(self):
        """Load the cache; return why it cannot be used, or None."""
        manifest_path = osp.join(self.index_dir, MANIFEST)
        if not osp.exists(manifest_path):
            return 'no index yet'
        try:
            with open(manifest_path) as file:
                manifest = json.load(file)
            if manifest.get('format') != FORMAT:
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
                osp.join(self.index_dir, manifest['embeddings']))
            videos = manifest['videos']
            unreadable = manifest['unreadable']
        except (OSError, ValueError, KeyError, TypeError) as error:
            return f'unusable index files ({type(error).__name__}: {error})'
        if len(embeddings) != len(videos):
            return f'{len(embeddings)} embeddings for {len(videos)} videos'
        self.videos, self.unreadable = videos, unreadable
        self._chunks = [embeddings.astype(np.float32, copy=False)]
        return None

    def save(self):
        """Write the embeddings, then the manifest, then drop stale files."""
        name = f'embeddings-{uuid.uuid4().hex[:16]}.npy'
        embeddings = self.embeddings
        manifest = dict(format=FORMAT, folder=self.folder,
                        fingerprint=self.fingerprint, embeddings=name,
                        videos=self.videos, unreadable=self.unreadable)
        with reporting_unwritable(self.index_dir):
            write_atomically(osp.join(self.index_dir, name),
                             lambda file: np.save(file, embeddings))
            write_atomically(osp.join(self.index_dir, MANIFEST),
                             lambda file: file.write(
                                 json.dumps(manifest).encode()))
            for old in os.listdir(self.index_dir):
                if old.startswith('embeddings-') and old != name:
                    os.remove(osp.join(self.index_dir, old))

    def update(self, embed, save_interval=300., progress=None):
        """Bring the cache up to date with the folder.

        Args:
            embed (callable): Called with the absolute paths to embed;
                returns batches as
                :func:`smaug.apis.iter_video_embeddings` yields them.
            save_interval (float): Also save every this many seconds.
            progress (bool, optional): Progress bar; None: on a terminal.

        Returns:
            dict: ``rebuilt`` (why the old cache was discarded, or None),
            counts ``new``, ``changed``, ``removed``, ``unchanged``,
            ``unreadable`` and ``total``.
        """
        with reporting_unwritable(self.index_dir):
            os.makedirs(self.index_dir, exist_ok=True)
        with exclusive_lock(self.index_dir):
            return self._update_locked(embed, save_interval, progress)

    def _update_locked(self, embed, save_interval, progress):
        """:meth:`update` with the lock held."""
        rebuilt = self._read()
        if rebuilt is not None:
            self.videos, self.unreadable, self._chunks = [], {}, []
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
        self._chunks = [self.embeddings[keep]] if keep else []
        self.videos = [self.videos[row] for row in keep]
        self.unreadable = {path: entry
                           for path, entry in self.unreadable.items()
                           if on_disk.get(path) == known[path]}
        stats['unchanged'] = len(self.videos) + len(self.unreadable)
        todo = [path for path in on_disk
                if known.get(path) != on_disk[path]]
        if todo:
            self._embed(todo, on_disk, embed, save_interval, progress)
        if todo or rebuilt or stats['removed'] or stats['changed']:
            self.save()
        stats.update(unreadable=len(self.unreadable), total=len(self.videos))
        return stats

    def _embed(self, todo, on_disk, embed, save_interval, progress):
        """Embed the files ``todo`` (relative paths), saving now and then."""
        last_save = time.monotonic()
        bar = tqdm(total=len(todo), desc='indexing videos', unit='video',
                   dynamic_ncols=True,
                   disable=None if progress is None else not progress)
        with bar:
            for batch in embed([osp.join(self.folder, p) for p in todo]):
                for path in batch['paths']:
                    rel = osp.relpath(path, self.folder).replace(os.sep, '/')
                    size, mtime_ns = on_disk[rel]
                    self.videos.append(
                        dict(path=rel, size=size, mtime_ns=mtime_ns))
                if batch['paths']:
                    self._chunks.append(batch['emb'].numpy())
                for path, reason in batch['skipped'].items():
                    rel = osp.relpath(path, self.folder).replace(os.sep, '/')
                    size, mtime_ns = on_disk[rel]
                    self.unreadable[rel] = dict(size=size, mtime_ns=mtime_ns,
                                                reason=reason)
                bar.update(len(batch['paths']) + len(batch['skipped']))
                if time.monotonic() - last_save > save_interval:
                    self.save()
                    last_save = time.monotonic()
