"""Reading a sample's media from the tar shards of a packed corpus.

The shards (``tools/data/pack_shards.py``) are read through wids'
map-style ``ShardListDataset``: sample ``i`` of the annotation file is found
by its position, so the dataset's indices, samplers and exact resume work
as with loose files.
"""
import contextlib
import io
import json
import os.path as osp

import cv2
import numpy as np
import wids

from smaug.registry import TRANSFORMS
from ..shard_index import ShardIndex, check_member, frame_member, sample_key
from .bad_media import BadMediaError
from .settings_repr import SettingsReprTransform


def shard_itself(url):
    """wids' local name of a shard: the file itself, never a copy.

    Args:
        url (str): The shard's path (from the index).
    """
    return url


class PresampledFrames:
    """The frames of a video sampled when packing, stored as JPEG, read like
    an opened video (:func:`~.video_file.open_video` returns it as is).

    Args:
        jpegs (list[bytes]): The frames, in time order.
        name (str): The name errors give (shard and key).
        fps (float): Rate of the packed frames.

    Attributes:
        num_frames (int): The frames packed.
        fps (float): Rate of the packed frames.
    """

    def __init__(self, jpegs, name, fps):
        self.jpegs, self.name, self.fps = jpegs, name, fps
        self.num_frames = len(jpegs)

    def frames(self, inds):
        """Decode the frames ``inds``.

        Args:
            inds (Sequence[int]): Indices among the packed frames.

        Returns:
            np.ndarray: uint8 (K, H, W, 3) RGB.
        """
        imgs = []
        for i in inds:
            img = cv2.imdecode(np.frombuffer(self.jpegs[i], np.uint8),
                               cv2.IMREAD_COLOR)
            if img is None:
                raise BadMediaError(self.name,
                                    f'frame {i} is not a decodable JPEG')
            imgs.append(cv2.cvtColor(img, cv2.COLOR_BGR2RGB))
        return np.stack(imgs)


@TRANSFORMS.register_module()
class LoadFromShards(SettingsReprTransform):
    """Give the pipeline the media of annotation entry
    ``results['entry_index']`` from the shards of a shard index.

    ``media_file`` is the sample's file as an in-memory file named
    ``<shard>:<key>.<ext>``, which ``DecordInit`` and ``LoadImageAsClip``
    read instead of ``video_path`` / ``img_path`` (those stay, as
    metadata); for shards of pre-sampled frames, a video's ``media_file``
    is :class:`PresampledFrames`, which ``DecordInit`` takes as the opened
    video (no video decoding). An entry that was not
    packed (its file missing or unreadable then) raises
    :class:`BadMediaError`, as its missing file would. A sample whose key or
    media path is not the entry's (shards packed from another annotation
    file) stops the run, naming shard and key. A media file whose SHA-256
    is not the one recorded when packing raises :class:`BadMediaError`
    (:func:`~smaug.datasets.shard_index.check_member`). Each process
    (dataloader worker) opens the shards on first use.

    Required keys: ``entry_index``, ``video_path`` or ``img_path``.
    Added keys: ``media_file``.

    Args:
        shard_index (str): The ``shardindex.json`` of the shards.
        lru_size (int): Shards kept open per process. Defaults to 10.
    """
    repr_settings = ('shard_index', 'lru_size')

    def __init__(self, shard_index, lru_size=10):
        self.shard_index = shard_index
        self.index = ShardIndex(shard_index)
        self.lru_size = lru_size
        self._samples = None

    def _sample(self, position):
        """The wids sample at ``position`` (opening the shards once)."""
        if self._samples is None:
            # wids 0.1.11 prints its shard list on every construction
            with contextlib.redirect_stderr(io.StringIO()):
                self._samples = wids.ShardListDataset(
                    self.shard_index, localname=shard_itself,
                    transformations=[], lru_size=self.lru_size)
        return self._samples[position]

    def transform(self, results):
        """Add the packed media.

        Args:
            results (dict): The pipeline dict.
        """
        entry_index = results['entry_index']
        media_key = 'video_path' if 'video_path' in results else 'img_path'
        path = results[media_key]
        position = self.index.position(entry_index)
        if position is None:
            raise BadMediaError(
                path, f'not packed into {self.shard_index} (missing or '
                'unreadable when packed)')
        sample = self._sample(position)
        key, shard = sample_key(entry_index), sample['__shard__']
        packed = json.load(sample['.json'])
        if sample['__key__'] != key or not osp.normpath(path).endswith(
                osp.normpath(packed['media'])):
            raise RuntimeError(
                f'{shard}: sample {sample["__key__"]} holds entry '
                f'{packed["index"]} ({packed["media"]}), not entry '
                f'{entry_index} ({path}): the shard index '
                f'{self.shard_index} was packed from another annotation '
                'file; pack it again with tools/data/pack_shards.py')
        presampled = self.index.media == 'frames' and \
            media_key == 'video_path'
        suffixes = ([frame_member(key, i)[len(key):]
                     for i in range(self.index.num_frames)] if presampled
                    else [ext for ext in sample
                          if ext != '.json' and not ext.startswith('__')])
        for suffix in suffixes:
            reason = check_member(packed, suffix, sample[suffix].getvalue())
            if reason:
                raise BadMediaError(f'{shard}:{key}{suffix}', reason)
        if presampled:
            results['media_file'] = PresampledFrames(
                [sample[suffix].getvalue() for suffix in suffixes],
                f'{shard}:{key}', packed['frames_fps'])
            return results
        media = sample[suffixes[0]]
        media.name = f'{shard}:{key}{suffixes[0]}'
        results['media_file'] = media
        return results
