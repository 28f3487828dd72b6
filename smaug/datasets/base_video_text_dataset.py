"""The base of smaug's annotation datasets: validated loading, bad-data policy.
"""
import logging

from mmengine.dataset import BaseDataset
from mmengine.fileio import join_path
from mmengine.logging import print_log

from smaug.registry import TRANSFORMS
from .annotation_file import (AnnotationError, load_annotation_file,
                              media_of)
from .bad_sample_tally import BadSampleTally
from .sample_seeding import SampleSeeding
from .transforms import BadMediaError


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
                 **kwargs):
        if not 0 <= max_bad_ratio <= 1:
            raise ValueError(f'{ann_file}: max_bad_ratio must be in [0, 1], '
                             f'not {max_bad_ratio!r}')
        self.backend_args = backend_args
        self.max_bad_ratio = max_bad_ratio
        self.bad_ratio_min_samples = bad_ratio_min_samples
        self.tally = BadSampleTally()
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
        self.media_key = first_media
        return data_list

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
