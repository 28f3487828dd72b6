"""Resizing every frame of a clip."""
import cv2
import numpy as np

from smaug.registry import TRANSFORMS
from .settings_repr import SettingsReprTransform

INTERPOLATIONS = dict(
    nearest=cv2.INTER_NEAREST,
    bilinear=cv2.INTER_LINEAR,
    bicubic=cv2.INTER_CUBIC,
    area=cv2.INTER_AREA)


def resize_clip(imgs, size, interpolation='bilinear'):
    """Resize the frames of a (K, H, W, C) uint8 clip to ``size`` (w, h).

    One ``cv2.resize`` per frame into a preallocated output: cv2's 3-channel
    kernels are SIMD-optimised, and on 224-pixel frames this measured 4x
    faster than resizing the clip as one (H, W, 3K) image (cv2's generic
    many-channel path) and 10x faster than a float ``torch`` interpolate.

    Args:
        imgs (np.ndarray): The clip (may be a non-contiguous crop view).
        size (tuple[int, int]): Output (width, height).
        interpolation (str): One of ``INTERPOLATIONS``.

    Returns:
        np.ndarray: (K, h, w, C) uint8, contiguous.
    """
    width, height = size
    if imgs.shape[1:3] == (height, width):
        return imgs
    out = np.empty((imgs.shape[0], height, width, imgs.shape[3]), imgs.dtype)
    flag = INTERPOLATIONS[interpolation]
    for frame, dst in zip(imgs, out):
        cv2.resize(frame, (width, height), dst=dst, interpolation=flag)
    return out


@TRANSFORMS.register_module()
class ClipResize(SettingsReprTransform):
    """Resize all frames: the short side to ``scale`` or to an exact size.

    Required keys: ``imgs``. Modified keys: ``imgs``, ``img_shape``.

    Args:
        scale (int | tuple[int, int]): An int resizes the short side to it
            (aspect ratio kept); a tuple is the exact (width, height).
        interpolation (str): ``'nearest'``, ``'bilinear'``, ``'bicubic'`` or
            ``'area'``. Defaults to ``'bilinear'``.
    """
    repr_settings = ('scale', 'interpolation')

    def __init__(self, scale, interpolation='bilinear'):
        if interpolation not in INTERPOLATIONS:
            raise ValueError(
                f'interpolation must be one of {sorted(INTERPOLATIONS)}, '
                f'got {interpolation!r}')
        self.scale = scale
        self.interpolation = interpolation

    def transform(self, results):
        """Resize the clip.

        Args:
            results (dict): The pipeline dict.
        """
        height, width = results['imgs'].shape[1:3]
        if isinstance(self.scale, int):
            ratio = self.scale / min(height, width)
            size = (max(round(width * ratio), self.scale),
                    max(round(height * ratio), self.scale))
        else:
            size = tuple(self.scale)
        results['imgs'] = resize_clip(results['imgs'], size,
                                      self.interpolation)
        results['img_shape'] = results['imgs'].shape[1:3]
        return results
