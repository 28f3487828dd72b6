"""Which tar shard holds which annotation entry of a packed corpus.

``tools/data/pack_shards.py`` packs the media of an annotation file into tar
shards in webdataset layout. Entry ``i`` of the annotation file becomes the
sample with the key :func:`sample_key` ``(i)`` (``000000042``): the files
``<key>.json`` (the entry and its index) and either ``<key>.<ext>`` (the
video or image, under its own extension) or ``<key>.frame0.jpg``,
``<key>.frame1.jpg``, ... (frames sampled when packing); the JSON also
holds the SHA-256 of each media file (``sha256``, by the name after the
key: :func:`media_checksums`), which reading compares
(:func:`check_member`): a bit flipped in a shard since packing makes its
sample unreadable, as a damaged file is, instead of training on what the
decoder makes of it. Samples follow
entry order; the entries whose media were missing or unreadable when
packing are not packed and are listed by index.

The index is wids' ``shardindex`` JSON (``wids.ShardListDataset`` reads it:
shard file names relative to the index, sample counts) with a ``smaug``
field: the annotation file, its entry count, the media mode
(:data:`MEDIA_MODES`), the frames per sample of ``'frames'`` and the
indices of the entries not packed.
"""
import bisect
import hashlib
import json

import numpy as np

WIDS_KIND = 'wids-shard-index-v1'
MEDIA_MODES = ('original', 'reencoded', 'frames')
KEY_DIGITS = 9


def sample_key(entry_index):
    """The key of the sample of an annotation entry.

    Args:
        entry_index (int): The entry's index in the annotation file.
    """
    return f'{entry_index:0{KEY_DIGITS}d}'


def frame_member(key, frame):
    """The file name of a packed frame of a sample.

    Args:
        key (str): The sample key.
        frame (int): The frame's position among the packed frames.
    """
    return f'{key}.frame{frame}.jpg'


def media_checksums(key, members):
    """The SHA-256 of a sample's media files, by their names after the key.

    Args:
        key (str): The sample key.
        members (list[tuple[str, bytes]]): Its ``(name, bytes)`` files.

    Returns:
        dict[str, str]: e.g. ``{'.mp4': '<hex>'}``.
    """
    return {name[len(key):]: hashlib.sha256(data).hexdigest()
            for name, data in members}


def check_member(fields, suffix, data):
    """Why a media file read from a shard is not the one packed, if it is
    not (None when it is, or when the shard has no checksums: packed
    before they were recorded).

    Args:
        fields (dict): The sample's JSON.
        suffix (str): The file's name after the key, e.g. ``'.mp4'``.
        data (bytes): Its bytes.

    Returns:
        str | None: The reason.
    """
    expected = fields.get('sha256', {}).get(suffix)
    if expected is None or hashlib.sha256(data).hexdigest() == expected:
        return None
    return ('its SHA-256 differs from the one recorded when it was packed: '
            'the shard changed on disk (a bit flip, a bad copy); restore it '
            'or pack it again')


class ShardIndex:
    """A shard index read back: entries to sample positions.

    Args:
        path (str): The ``shardindex.json`` file.

    Attributes:
        shards (list[dict]): wids' shard list (``url``, ``nsamples``).
        media (str): One of :data:`MEDIA_MODES`.
        num_frames (int | None): Frames per sample in ``'frames'`` mode.
        num_entries (int): Entries of the annotation file packed.
        unpacked (np.ndarray): Sorted indices of the entries not packed.
    """

    def __init__(self, path):
        self.path = path
        try:
            with open(path, encoding='utf-8') as f:
                content = json.load(f)
        except FileNotFoundError as err:
            raise FileNotFoundError(
                f'{path}: shard index not found; write it with '
                'tools/data/pack_shards.py') from err
        if content.get('__kind__') != WIDS_KIND or 'smaug' not in content:
            raise ValueError(f'{path}: not a shard index written by '
                             'tools/data/pack_shards.py')
        self.shards = content['shardlist']
        info = content['smaug']
        self.media = info['media']
        self.num_frames = info.get('num_frames')
        self.num_entries = info['num_entries']
        self.unpacked = np.array(sorted(info['unpacked']), dtype=np.int64)

    def position(self, entry_index):
        """The sample position of an entry among all shards' samples.

        Args:
            entry_index (int): The entry's index in the annotation file.

        Returns:
            int | None: The position; None for an entry not packed.
        """
        skipped = bisect.bisect_left(self.unpacked, entry_index)
        if skipped < len(self.unpacked) and \
                self.unpacked[skipped] == entry_index:
            return None
        return entry_index - skipped


def shard_index_content(shards, annotation_file, num_entries, media,
                        num_frames, unpacked):
    """The JSON content of a shard index (see the module docstring).

    Args:
        shards (list[dict]): ``url`` (relative to the index), ``nsamples``
            and ``filesize`` of each shard, in order.
        annotation_file (str): The annotation file packed.
        num_entries (int): Its number of entries.
        media (str): One of :data:`MEDIA_MODES`.
        num_frames (int | None): Frames per sample in ``'frames'`` mode.
        unpacked (list[int]): Indices of the entries not packed.
    """
    return {
        '__kind__': WIDS_KIND,
        'wids_version': 1,
        'shardlist': shards,
        'smaug': dict(annotation_file=annotation_file,
                      num_entries=num_entries, media=media,
                      num_frames=num_frames, unpacked=sorted(unpacked)),
    }
