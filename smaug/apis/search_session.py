"""A search session over a folder of videos: the model, the index of the
folder and the queries behind every output of ``tools/search.py`` (the
terminal tables, the ``--html`` page and the ``--serve`` page).

Everything a user can get wrong (a checkpoint that does not fit the config,
a folder without a readable video, an index folder that cannot be written,
an empty query) is raised as :class:`SearchInputError`, whose message says
what is wrong and names the file, so that each front end shows it as it is.
"""
import hashlib
import os
import os.path as osp
import threading
import time
import traceback
from functools import lru_cache

import av

from smaug.datasets.transforms import BadMediaError
from smaug.checkpoints.checkpoint_loading import \
    UnreadableCheckpointError
from .browser_video import playable_copy
from .embedding import iter_video_embeddings
from .index_storage import IndexWriteError
from .model_fingerprint import model_fingerprint
from .model_loading import init_model
from .thumbnails import frames_jpeg
from .video_index import VIDEO_EXTENSIONS, VideoIndex
from .video_reading import compose_pipeline, inference_pipeline_cfg
from .video_search import search_videos


class SearchInputError(ValueError):
    """Input a user can fix; the message says what and where."""


def default_index_dir(folder):
    """The cache folder of a video folder under the user's cache.

    Args:
        folder (str): The folder of videos.
    """
    folder = osp.abspath(folder)
    cache = os.environ.get('XDG_CACHE_HOME') or osp.expanduser('~/.cache')
    key = hashlib.sha1(folder.encode()).hexdigest()[:12]
    return osp.join(cache, 'smaug', 'search',
                    f'{osp.basename(folder) or "root"}-{key}')


def load_search_model(config, checkpoint, device='cpu', cfg_options=None,
                      trust_checkpoint=False):
    """:func:`smaug.apis.init_model`, its failures to read or fit the
    checkpoint raised as :class:`SearchInputError`.

    Args:
        config (str): Config file.
        checkpoint (str): Checkpoint file.
        device (str): Where the model goes.
        cfg_options (dict, optional): Config overrides.
        trust_checkpoint (bool): Allow unrestricted unpickling.
    """
    try:
        return init_model(config, checkpoint, device, cfg_options,
                          trust_checkpoint)
    except (FileNotFoundError, UnreadableCheckpointError) as error:
        raise SearchInputError(str(error)) from error
    except (KeyError, RuntimeError) as error:  # missing or misshapen weights
        reason = error.args[0] if error.args else repr(error)
        raise SearchInputError(
            f'the checkpoint {checkpoint} does not fit the model of the '
            f'config {config}: {str(reason).splitlines()[0]} (is it a '
            'checkpoint of this config\'s model?)') from error


def rerank_settings(cfg, rerank_k=None, score_mode=None):
    """Candidates and score mode of VTM re-ranking: the given ones, else the
    config's retrieval test loop settings, else 16 and 'vtm'.

    Args:
        cfg (mmengine.Config): The model's config.
        rerank_k (int, optional): Candidates to re-score.
        score_mode (str, optional): 'vtm' or 'vtm+vtc'.

    Returns:
        tuple[int, str]: ``rerank_k`` and ``score_mode``.
    """
    test_cfg = cfg.get('test_cfg') or {}
    return (rerank_k or test_cfg.get('k', 16),
            score_mode or test_cfg.get('score_mode', 'vtm'))


def no_video_message(folder, unreadable):
    """What to tell a user whose folder gave no video to search.

    Args:
        folder (str): The folder of videos.
        unreadable (dict): :attr:`VideoIndex.unreadable`.
    """
    if not unreadable:
        return (f'no video file in {folder} (looked for '
                f'{", ".join(VIDEO_EXTENSIONS)} in it and its sub-folders)')
    entries = '; '.join(f'{path}: {entry["reason"]}'
                        for path, entry in unreadable.items())
    return (f'no readable video in {folder}: all {len(unreadable)} entries '
            f'that look like videos are unreadable ({entries})')


class SearchSession:
    """The model and the index of one folder, answering text queries.

    Args:
        args (argparse.Namespace): The options of ``tools/search.py``:
            ``config``, ``checkpoint``, ``device``, ``cfg_options``,
            ``trust_checkpoint``, ``videos``, ``index_dir``, ``num_frames``,
            ``batch_size``, ``workers``, ``rerank_k``, ``score_mode`` and
            ``exact_limit``.
    """

    def __init__(self, args):
        self.args = args
        self.model = None
        self.index = None
        self.paths = []
        self.neighbours = None
        self.stats = None
        self._progress = dict(stage='loading the model', done=0, total=0)
        self._error = None
        self._ready = threading.Event()
        self._model_lock = threading.Lock()

    def prepare(self, progress=None):
        """Load the model, then bring the index of the folder up to date.

        Args:
            progress (bool, optional): Show a progress bar in the terminal;
                None shows it on a terminal only.

        Returns:
            dict: The statistics of :meth:`VideoIndex.update` and its
            ``seconds``.

        Raises:
            SearchInputError: For a checkpoint that does not fit the config,
                a missing folder, an unwritable index folder, or a folder
                without a readable video.
        """
        args = self.args
        self.model = load_search_model(args.config, args.checkpoint,
                                       args.device, args.cfg_options,
                                       args.trust_checkpoint)
        args.rerank_k, args.score_mode = rerank_settings(
            self.model.cfg, args.rerank_k, args.score_mode)
        self._pipeline = compose_pipeline(
            inference_pipeline_cfg(self.model.cfg, args.num_frames))
        self._set_progress('scanning the folder', 0, 0)
        index = VideoIndex(args.index_dir or default_index_dir(args.videos),
                           args.videos,
                           model_fingerprint(self.model, args.num_frames),
                           args.exact_limit)

        def embed(paths):
            return iter_video_embeddings(
                self.model, paths, args.batch_size, args.num_frames,
                skip_unreadable=True, num_workers=args.workers)

        start = time.perf_counter()
        try:
            self.stats = index.update(embed, progress=progress,
                                      on_progress=self._set_progress)
            self.stats['seconds'] = time.perf_counter() - start
        except (IndexWriteError, FileNotFoundError) as error:
            raise SearchInputError(str(error)) from error
        self.index = index
        if not index.videos:
            raise SearchInputError(no_video_message(index.folder,
                                                    index.unreadable))
        self.paths, self.neighbours = index.gallery()
        self._ready.set()
        return self.stats

    def prepare_in_background(self):
        """Run :meth:`prepare` in a thread; :meth:`status` reports on it.

        Returns:
            threading.Thread: The started thread.
        """
        def run():
            try:
                self.prepare(progress=False)
            except SearchInputError as error:
                self._error = str(error)
            except Exception as error:  # shown on the page, not lost
                traceback.print_exc()
                self._error = (f'internal error: {type(error).__name__}: '
                               f'{error} (the traceback is in the terminal)')
            print(self.summary() if self._error is None else
                  f'search.py: {self._error}', flush=True)

        thread = threading.Thread(target=run, name='search-index',
                                  daemon=True)
        thread.start()
        return thread

    def _set_progress(self, stage, done, total):
        """Record how far :meth:`prepare` is (its progress callback)."""
        self._progress = dict(stage=stage, done=done, total=total)

    def summary(self):
        """One line on the index: size, changes, unreadable entries."""
        stats = self.stats
        rebuilt = '' if stats['rebuilt'] in (None, 'no index yet') else \
            f'rebuilt the index: {stats["rebuilt"]}\n'
        return (f'{rebuilt}index {self.index.index_dir}: {stats["total"]} '
                f'videos ({stats["new"]} new, {stats["changed"]} changed, '
                f'{stats["removed"]} removed, {stats["unreadable"]} '
                f'unreadable left out) in {stats["seconds"]:.2f} s, '
                f'{self.search_method()}')

    def search_method(self):
        """How the gallery is searched, in words."""
        info = self.neighbours.info
        if info['kind'] == 'exact':
            return 'exact search' + (f' (not IVF: {info["declined"]})'
                                     if 'declined' in info else '')
        return (f'approximate search (IVF, nprobe {info["nprobe"]}: '
                f'recall@10 {info["recall"]:.3f} against exact search on '
                'sampled videos)')

    def status(self):
        """Where the session stands, for the page.

        Returns:
            dict: ``ready``, ``error`` (message or None), ``stage``,
            ``done`` and ``total`` of the work under way, ``folder`` and,
            once ready, ``videos``, ``search`` (:meth:`search_method`),
            ``rerank_k``, ``score_mode`` and ``unreadable`` (``path``,
            ``reason`` of every entry left out).
        """
        status = dict(ready=self._ready.is_set(), error=self._error,
                      folder=osp.abspath(self.args.videos), **self._progress)
        if self.index is not None:
            status['unreadable'] = [
                dict(path=path, reason=entry['reason'])
                for path, entry in self.index.unreadable.items()]
        if status['ready']:
            status.update(videos=len(self.paths),
                          search=self.search_method(),
                          rerank_k=self.args.rerank_k,
                          score_mode=self.args.score_mode)
        return status

    def search(self, query, top=10, rerank=False):
        """Answer a query.

        Args:
            query (str): The text.
            top (int): Results to return.
            rerank (bool): Re-score the best ``rerank_k`` with VTM.

        Returns:
            dict: ``query``, ``reranked_by`` (score mode or None),
            ``seconds`` and ``hits``: best first, each with ``rank``,
            ``row``, ``name`` (path under the folder), ``path``,
            ``vtc_score`` and, if re-scored, ``vtm_score``.

        Raises:
            SearchInputError: For an empty query, or while not ready.
        """
        if not query or not query.strip():
            raise SearchInputError('type a few words that describe the '
                                   'video you are looking for')
        if not self._ready.is_set():
            raise SearchInputError(self._error or (
                f'the index is not ready yet ({self._progress["stage"]}: '
                f'{self._progress["done"]} of {self._progress["total"]}); '
                'search again when it is'))
        args = self.args
        start = time.perf_counter()
        with self._model_lock:
            hits = search_videos(self.model, query.strip(), self.paths,
                                 self.neighbours, top,
                                 args.rerank_k if rerank else None,
                                 args.batch_size, args.num_frames,
                                 args.score_mode)
        for rank, hit in enumerate(hits, 1):
            hit.update(rank=rank,
                       name=osp.relpath(hit['path'], self.index.folder))
        return dict(query=query.strip(), hits=hits,
                    reranked_by=args.score_mode if rerank else None,
                    seconds=time.perf_counter() - start)

    def video_file(self, row):
        """The indexed video of ``row``.

        Raises:
            SearchInputError: When there is no such row.
        """
        if not self._ready.is_set() or not 0 <= row < len(self.paths):
            raise SearchInputError(f'no video number {row} in the index')
        return self.paths[row]

    def thumbnail(self, row):
        """JPEG bytes of the frames the model sees of video ``row``.

        Raises:
            SearchInputError: When there is no such row, or the file can no
                longer be read.
        """
        path = self.video_file(row)
        stat = os.stat(path)
        try:
            return self._thumbnail(path, stat.st_size, stat.st_mtime_ns)
        except BadMediaError as error:
            raise SearchInputError(f'{error} (changed since indexing?)') \
                from error

    @lru_cache(maxsize=1024)
    def _thumbnail(self, path, size, mtime_ns):
        """:meth:`thumbnail` of one version of a file (cached)."""
        return frames_jpeg(path, self._pipeline)

    def playable_video(self, row):
        """A file of video ``row`` that browsers play (the video itself, or
        an H.264 copy kept in the index folder's ``previews/``).

        Raises:
            SearchInputError: When there is no such row, or the file cannot
                be decoded.
        """
        path = self.video_file(row)
        try:
            return playable_copy(path, osp.join(self.index.index_dir,
                                                'previews'))
        except av.FFmpegError as error:
            raise SearchInputError(f'{path}: cannot be converted for the '
                                   f'browser ({error})') from error
