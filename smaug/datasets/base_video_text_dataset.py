"""The base of smaug's annotation datasets: validated loading, bad-data policy.
"""
import logging
import os

import torch
from mmengine.dataset import BaseDataset
from mmengine.fileio import join_path
from mmengine.logging import print_log

from smaug.registry import TRANSFORMS
from .annotation_file import (AnnotationError, load_annotation_file,
                              media_of)
from .sample_seeding import SampleSeeding
from .transforms import BadMediaError

# Skip counters, one slot per dataloader worker (slot 0: the main process),
# so every slot has one writer and the counts are exact.
_COUNTER_SLOTS = 257


def _worker_slot():
    """Return this process's counter slot and a name for the log."""
    info = torch.utils.data.get_worker_info()
    if info is None:
        return 0, f'main process (pid {os.getpid()})'
    return 1 + info.id % (_COUNTER_SLOTS - 1), f'worker {info.id}'


class BaseVideoTextDataset(BaseDataset):
    """An annotation file of video- or image-text entries.

    Loading: :meth:`load_data_list` reads the JSON / JSON-lines file, checks
    every entry (an :class:`AnnotationError` names file, entry index and key)
    and hands it to :meth:`parse_entry`, which subclasses implement. A file
    holds one media type: ``"video"`` entries become ``video_path``,
    ``"image"`` entries ``img_path`` (joined with ``data_prefix['video']`` /
    ``data_prefix['image']`` under ``data_root``). The parsed list is stored
    serialised (mmengine's ``serialize_data``), so dataloader workers share
    one copy of millions of entries.

    Bad data: a loading transform raises
    :class:`~smaug.datasets.transforms.BadMediaError` for a missing, empty,
    unreadable, truncated, frameless or too short file. In training the
    sample is logged (MMLogger warning: path, reason, running count) and
    ``None`` is returned, so mmengine's ``BaseDataset.__getitem__`` draws a
    random other index (up to ``max_refetch`` times). The running count is
    kept in shared memory per dataloader worker: the log line gives the
    worker's own count and the total of all workers of this process (one
    rank), and the count survives worker restarts between epochs. When more
    than ``max_refetch`` samples in a row fail (every file missing: usually a
    wrong ``data_root`` or ``data_prefix``) a clear error stops the run. At
    test time the error stops the run, naming the file: a silently smaller
    gallery would falsify R@K. Any other pipeline error is re-raised naming
    the sample and its file.

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
                 **kwargs):
        self.backend_args = backend_args
        self._skip_counts = torch.zeros(
            _COUNTER_SLOTS, dtype=torch.int64).share_memory_()
        self._bad_streak = 0  # failures in a row in this process
        self.sample_seeding = SampleSeeding(salt=ann_file)
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
        """Read, validate and parse the annotation file."""
        entries = load_annotation_file(self.ann_file, self.backend_args)
        data_list = []
        first_media = None
        for index, entry in enumerate(entries):
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
            data_list.extend(self.parse_entry(entry, index, media))
        if not data_list:
            raise AnnotationError(f'{self.ann_file}: no entries')
        return data_list

    @property
    def skipped(self):
        """int: Bad samples skipped so far by all workers of this process."""
        return int(self._skip_counts.sum())

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
            slot, who = _worker_slot()
            self._skip_counts[slot] += 1
            print_log(
                f'Skipped bad training sample {idx} of {self.ann_file}: '
                f'{err.path}: {err.reason}; a random other sample replaces '
                f'it. Bad samples skipped so far: '
                f'{int(self._skip_counts[slot])} by {who}, {self.skipped} by '
                'all workers of this process.',
                logger='current',
                level=logging.WARNING)
            return None
        except Exception as err:
            path = data_info.get('video_path', data_info.get('img_path'))
            raise RuntimeError(
                f'{type(self).__name__} ({self.ann_file}): the pipeline '
                f'failed on sample {idx} ({path}): {type(err).__name__}: '
                f'{err}') from err
