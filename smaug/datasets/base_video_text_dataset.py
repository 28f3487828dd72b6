"""The base of smaug's annotation datasets: validated loading, bad-data policy.
"""
import hashlib
import json
import logging
import os.path as osp
import sys
from pathlib import Path

from mmengine.dataset import BaseDataset
from mmengine.fileio import join_path
from mmengine.logging import print_log

from smaug.registry import TRANSFORMS
from . import annotation_file
from .annotation_file import (AnnotationError, iter_annotation_file,
                              media_of)
from .annotation_store import (is_whole_store, iter_store, map_store,
                               shared_store, store_in_memory, store_path)
from .bad_sample_tally import BadSampleTally
from .corpus_availability import log_availability
from .sample_seeding import SampleSeeding
from .transforms import BadMediaError


def _shard_index(ann_file, data_root, media_format, shard_index):
    """The shard index a dataset reads, or None for loose files.

    Args:
        ann_file (str): The annotation file.
        data_root (str): The corpus root.
        media_format (str): ``'loose'`` or ``'shards'``.
        shard_index (str | None): The index given, if any.
    """
    if media_format not in ('loose', 'shards'):
        raise ValueError(f"{ann_file}: media_format must be 'loose' or "
                         f"'shards', not {media_format!r}")
    if media_format == 'loose':
        return None
    name = osp.splitext(osp.basename(ann_file))[0]
    return join_path(data_root, shard_index
                     or osp.join('shards', name, 'shardindex.json'))


class BaseVideoTextDataset(BaseDataset):
    """An annotation file of video- or image-text entries.

    Loading: :meth:`load_data_list` reads the JSON / JSON-lines file, checks
    every entry (an :class:`AnnotationError` names file, entry index and key)
    and hands it to :meth:`parse_entry`, which subclasses implement. A file
    holds one media type: ``"video"`` entries become ``video_path``,
    ``"image"`` entries ``img_path`` (joined with ``data_prefix['video']`` /
    ``data_prefix['image']`` under ``data_root``). The parsed entries are
    stored as mmengine's ``serialize_data`` arrays in a file that one
    process writes and every rank and dataloader worker of the machine maps
    (:meth:`full_init`), so millions of entries cost one copy per machine.

    Bad data: a loading transform raises
    :class:`~smaug.datasets.transforms.BadMediaError` for a missing, empty,
    unreadable, damaged (FFmpeg reports errors in the sampled frames),
    truncated, frameless or too short file. In training the sample is
    logged (MMLogger warning: path, reason, running counts) and ``None`` is
    returned, so mmengine's ``BaseDataset.__getitem__`` draws a random other
    index (up to ``max_refetch`` times). The samples read and the bad ones
    are counted in shared memory per dataloader worker
    (:class:`~smaug.datasets.bad_sample_tally.BadSampleTally`): the log line
    gives the worker's own count, the total of all workers of this process
    (one rank) and the share of bad samples among those read, and the counts
    survive worker restarts between epochs. Two limits stop the run with a
    clear error: more than ``max_refetch`` bad samples in a row (every file
    missing: usually a wrong ``data_root`` or ``data_prefix``), and, once
    ``bad_ratio_min_samples`` samples were read, a share of bad samples
    above ``max_bad_ratio`` (a corpus largely damaged, which a run should
    not quietly train around); the error names the annotation file, the
    data root and the commonest reasons. At test time the error stops the
    run, naming the file: a silently smaller gallery would falsify R@K. Any
    other pipeline error is re-raised naming the sample and its file.

    Random augmentation: once ``sample_seeding`` is enabled (by
    :class:`~smaug.engine.ExactResumeHook`), every sample is loaded with the
    random state of ``(seed, epoch, annotation file, index)``, replacements
    of bad samples included, so the data do not depend on the number of
    dataloader workers and a resumed run sees exactly the data an
    uninterrupted one would have seen.

    Args:
        ann_file (str): Annotation file, relative to ``data_root`` unless
            absolute.
        data_root (str): Root folder of the corpus. Defaults to ''.
        data_prefix (dict): Folders of ``video`` and ``image`` files
            relative to ``data_root``. Defaults to
            ``dict(video='', image='')``.
        pipeline (Sequence[dict | Callable]): Transforms, built from
            smaug's ``TRANSFORMS`` registry. Defaults to ().
        backend_args (dict, optional): mmengine file backend arguments for
            reading the annotation file. Defaults to None.
        max_bad_ratio (float): In training, the largest share of bad
            samples among those read by a process; more stops the run.
            Defaults to 0.1.
        bad_ratio_min_samples (int): Samples a process reads before
            ``max_bad_ratio`` applies (early shares are noisy). Defaults
            to 100.
        media_format (str): ``'loose'`` reads the media files under
            ``data_prefix``; ``'shards'`` reads them from the tar shards of
            ``shard_index`` (``tools/data/pack_shards.py``): entry ``i``
            from its sample (:class:`~smaug.datasets.transforms.
            LoadFromShards`, put first in the pipeline). Defaults to
            ``'loose'``.
        shard_index (str, optional): The ``shardindex.json`` of
            ``'shards'``, relative to ``data_root`` unless absolute.
            Defaults to ``shards/<annotation file name>/shardindex.json``
            (``pack_shards.py --out data_root/shards/webvid_train`` for
            ``webvid_train.json``).
        cache_dir (str | bool): Folder of the annotation store (the
            parsed annotations, written once and memory-mapped by every
            process of the machine); True: ``.smaug_cache`` beside the
            annotation file; False: each process keeps its own store in
            memory. Defaults to True.
        **kwargs: Other :class:`mmengine.dataset.BaseDataset` arguments
            (``test_mode``, ``metainfo``, ``indices``, ``lazy_init``,
            ``max_refetch``, ...).
    """

    def __init__(self,
                 ann_file,
                 data_root='',
                 data_prefix=dict(video='', image=''),
                 pipeline=(),
                 backend_args=None,
                 max_bad_ratio=0.1,
                 bad_ratio_min_samples=100,
                 media_format='loose',
                 shard_index=None,
                 cache_dir=True,
                 **kwargs):
        if not 0 <= max_bad_ratio <= 1:
            raise ValueError(f'{ann_file}: max_bad_ratio must be in [0, 1], '
                             f'not {max_bad_ratio!r}')
        self.backend_args = backend_args
        self.cache_dir = cache_dir
        self.max_bad_ratio = max_bad_ratio
        self.bad_ratio_min_samples = bad_ratio_min_samples
        self.tally = BadSampleTally()
        self._bad_streak = 0  # failures in a row in this process
        self.sample_seeding = SampleSeeding(salt=ann_file)
        self.shard_index = _shard_index(ann_file, data_root, media_format,
                                        shard_index)
        if self.shard_index:
            pipeline = [dict(type='LoadFromShards',
                             shard_index=self.shard_index), *pipeline]
        super().__init__(
            ann_file=ann_file,
            data_root=data_root,
            data_prefix=dict(dict(video='', image=''), **data_prefix),
            # built here with smaug's registry (which falls back to
            # mmpretrain's and mmengine's), so no default scope is needed
            pipeline=[
                TRANSFORMS.build(t) if isinstance(t, dict) else t
                for t in pipeline
            ],
            **kwargs)

    def parse_entry(self, entry, index, media):
        """Turn one validated-media entry into data infos.

        Args:
            entry (dict): The raw entry.
            index (int): Its index in the file (for error messages).
            media (dict): ``dict(video_path=...)`` or ``dict(img_path=...)``.

        Returns:
            list[dict]: The data infos of this entry.
        """
        raise NotImplementedError

    def load_data_list(self):
        """Read, validate and parse the annotation file into a list (the
        path of ``serialize_data=False``; see :meth:`full_init`)."""
        data_list = list(self.parse_file())
        self.after_load(data_list)
        return data_list

    def parse_file(self):
        """Read, validate and parse the annotation file, one entry at a
        time (the file is streamed, see
        :func:`~smaug.datasets.annotation_file.iter_annotation_file`).

        Yields:
            dict: The data infos, in file order.
        """
        first_media = None
        for index, entry in enumerate(
                iter_annotation_file(self.ann_file, self.backend_args)):
            media_key, rel_path = media_of(entry, self.ann_file, index)
            if first_media is None:
                first_media = media_key
            elif media_key != first_media:
                raise AnnotationError(
                    f'{self.ann_file}: entry {index}: key {media_key!r} in a '
                    f'file of {first_media!r} entries; one annotation file '
                    'holds one media type')
            if media_key == 'video':
                media = dict(video_path=join_path(self.data_prefix['video'],
                                                  rel_path))
            else:
                media = dict(img_path=join_path(self.data_prefix['image'],
                                                rel_path))
            if self.shard_index:
                media['entry_index'] = index
            yield from self.parse_entry(entry, index, media)
        if first_media is None:
            raise AnnotationError(f'{self.ann_file}: no entries')
        self.media_key = first_media

    def after_load(self, infos):
        """Derive what a subclass needs from all data infos (ground truth,
        checks); runs in every process once the annotations are loaded.

        Args:
            infos (Iterable[dict]): The data infos, in file order (read
                once, one at a time, from the store).
        """

    def full_init(self):
        """Load the annotations into a store shared by every process of
        the machine (:mod:`~smaug.datasets.annotation_store`): the file is
        parsed by one process, into ``cache_dir``, and mapped by all; then
        :meth:`after_load` and the ``indices`` subset apply. With
        ``serialize_data=False`` mmengine's list is built instead. A
        training dataset logs how much of its media is present (from the
        report of ``tools/data/check_corpus.py``, see
        :mod:`~smaug.datasets.corpus_availability`)."""
        if self._fully_initialized:
            return
        if not self.test_mode:
            log_availability(self)
        if not self.serialize_data:
            return super().full_init()
        path = self._store_path()
        if path is None:
            *arrays, meta = store_in_memory(self.parse_file(),
                                            self._store_meta)
        else:
            *arrays, meta, path = shared_store(path, self.parse_file,
                                               self._store_meta)
        self.data_bytes, self.data_address = arrays
        self._store_file = path
        self.media_key = meta['media_key']
        self.after_load(iter_store(*arrays))
        # mmengine's subset helper calls full_init unless this is set.
        self._fully_initialized = True
        indices = self._indices
        if isinstance(indices, int) and abs(indices) >= len(self):
            indices = None  # as mmengine's list slicing: every entry
        if indices is not None:
            self.data_bytes, self.data_address = \
                self._get_serialized_subset(indices)

    def _store_meta(self):
        """What the store keeps beside the data infos."""
        return dict(media_key=self.media_key)

    def _store_path(self):
        """The store file of this dataset (None: keep it in memory)."""
        if self.cache_dir is False or self.backend_args is not None or \
                '://' in str(self.ann_file):
            return None
        folder = self.cache_dir
        if folder is True:
            folder = osp.join(osp.dirname(osp.abspath(self.ann_file)),
                              '.smaug_cache')
        settings = {}
        for key, value in sorted(vars(self).items()):
            if key in ('_indices', 'data_list', 'media_key', '_store_file'):
                continue  # applied after, or results of, the parsing
            try:
                settings[key] = json.loads(json.dumps(value))
            except (TypeError, ValueError):
                continue  # a transform, a tally: no part of the parsing
        code = hashlib.sha256()
        modules = {cls.__module__ for cls in type(self).__mro__} | {
            annotation_file.__name__}
        for name in sorted(modules):
            if name.startswith('smaug.'):
                code.update(Path(sys.modules[name].__file__).read_bytes())
        settings['code'] = code.hexdigest()
        try:
            return store_path(folder, self.ann_file, settings)
        except FileNotFoundError as err:
            raise AnnotationError(
                f'{self.ann_file}: annotation file not found') from err

    def __getstate__(self):
        """Pickle a mapped store by its file name (spawned workers map it
        again instead of receiving a copy); a subset or copy by value."""
        state = self.__dict__.copy()
        if is_whole_store(state.get('_store_file'), state.get('data_bytes'),
                          state.get('data_address')):
            del state['data_bytes'], state['data_address']
        else:
            state['_store_file'] = None
        return state

    def __setstate__(self, state):
        """Map the store again (see :meth:`__getstate__`)."""
        self.__dict__.update(state)
        if state.get('_store_file'):
            self.data_bytes, self.data_address, _ = map_store(
                state['_store_file'])

    @property
    def skipped(self):
        """int: Bad samples skipped so far by all workers of this process."""
        return self.tally.total_bad

    def __getitem__(self, idx):
        """Load sample ``idx`` (or its replacement) with its own random
        state when sample seeding is enabled.

        Args:
            idx (int): Sample index.
        """
        with self.sample_seeding.seeded(idx):
            return super().__getitem__(idx)

    def prepare_data(self, idx):
        """Run the pipeline on sample ``idx``, applying the bad-data policy.

        Args:
            idx (int): Sample index.

        Returns:
            dict | None: The pipeline output; None for a bad training sample.
        """
        data_info = self.get_data_info(idx)
        if not self.test_mode:
            self.tally.count_read()
        try:
            data = self.pipeline(data_info)
            self._bad_streak = 0
            return data
        except BadMediaError as err:
            if self.test_mode:
                raise RuntimeError(
                    f'{type(self).__name__} ({self.ann_file}, test mode): '
                    f'sample {idx}: cannot read {err.path}: {err.reason}. '
                    'A test file may not be skipped (a smaller gallery '
                    'falsifies R@K); fix or re-download it. '
                    'tools/data/check_corpus.py lists all unreadable files.'
                ) from err
            self._bad_streak += 1
            if self._bad_streak > self.max_refetch:
                raise RuntimeError(
                    f'{self._bad_streak} training samples in a row of '
                    f'{self.ann_file} are unreadable (the last: {err.path}: '
                    f'{err.reason}); check data_root and data_prefix '
                    f'({self.data_prefix}), and run '
                    'tools/data/check_corpus.py') from err
            own_count, who = self.tally.count_bad(err.reason)
            bad, read = self.tally.total_bad, self.tally.total_read
            print_log(
                f'Skipped bad training sample {idx} of {self.ann_file}: '
                f'{err.path}: {err.reason}; a random other sample replaces '
                f'it. Bad samples skipped so far: {own_count} by {who}, '
                f'{bad} by all workers of this process ({bad} of {read} '
                f'samples read, {100 * bad / read:.1f}%; the run stops above '
                f'{100 * self.max_bad_ratio:g}%).',
                logger='current',
                level=logging.WARNING)
            self._check_bad_ratio()
            return None
        except Exception as err:
            path = data_info.get('video_path', data_info.get('img_path'))
            raise RuntimeError(
                f'{type(self).__name__} ({self.ann_file}): the pipeline '
                f'failed on sample {idx} ({path}): {type(err).__name__}: '
                f'{err}') from err

    def _check_bad_ratio(self):
        """Stop the run when too many of the samples read are bad."""
        bad, read = self.tally.total_bad, self.tally.total_read
        if read < self.bad_ratio_min_samples or \
                bad <= self.max_bad_ratio * read:
            return
        raise RuntimeError(
            f'{bad} of the {read} training samples read so far from '
            f'{self.ann_file} (data_root {self.data_root!r}) on this rank are '
            f'bad ({100 * bad / read:.1f}%, more than max_bad_ratio='
            f'{self.max_bad_ratio:g}); the commonest reasons: '
            f'{self.tally.commonest_reasons()}. The corpus is largely '
            'missing or damaged: list its bad files with python '
            f'tools/data/check_corpus.py {self.ann_file} --{self.media_key}'
            f'-prefix {self.data_prefix[self.media_key]}, then '
            're-download or drop them (or raise max_bad_ratio in the '
            'dataset config to train on what is readable).')
