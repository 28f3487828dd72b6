"""Cropping a clip: the same box for every frame."""
import math

import numpy as np

from smaug.registry import TRANSFORMS
from .clip_resize import INTERPOLATIONS, resize_clip
from .settings_repr import SettingsReprTransform


def _pair(size):
    """Return ``(width, height)`` from an int or a pair."""
    return (size, size) if isinstance(size, int) else tuple(size)


@TRANSFORMS.register_module()
class ClipRandomResizedCrop(SettingsReprTransform):
    """Crop a random area/aspect box (one box for all K frames), resize it.

    The box covers ``scale`` of the frame area with an aspect ratio in
    ``ratio`` (log-uniform), as in torchvision's RandomResizedCrop; after 10
    failed draws it falls back to the largest centred box within ``ratio``.
    Cropping is a slice of the (K, H, W, 3) array, so only the resize
    touches pixels.

    Required keys: ``imgs``. Modified keys: ``imgs``, ``img_shape``.
    Added keys: ``crop_bbox`` (x1, y1, x2, y2).

    Args:
        size (int | tuple[int, int]): Output size (width, height).
        scale (tuple[float, float]): Area fraction range. Defaults to
            (0.5, 1.0) (the SMAUG/Singularity setting).
        ratio (tuple[float, float]): Aspect ratio (w/h) range. Defaults to
            (3/4, 4/3).
        interpolation (str): See :class:`ClipResize`. Defaults to
            ``'bicubic'`` (Singularity's choice for this crop).
    """
    repr_settings = ('size', 'scale', 'ratio', 'interpolation')

    def __init__(self,
                 size,
                 scale=(0.5, 1.0),
                 ratio=(3. / 4., 4. / 3.),
                 interpolation='bicubic'):
        if not 0 < scale[0] <= scale[1] <= 1:
            raise ValueError(f'scale must satisfy 0 < lo <= hi <= 1, got '
                             f'{scale}')
        if interpolation not in INTERPOLATIONS:
            raise ValueError(
                f'interpolation must be one of {sorted(INTERPOLATIONS)}, '
                f'got {interpolation!r}')
        self.size = _pair(size)
        self.scale = tuple(scale)
        self.ratio = tuple(ratio)
        self.interpolation = interpolation

    def _box(self, height, width):
        """Draw ``(x1, y1, w, h)`` of the crop."""
        area = height * width
        log_ratio = np.log(self.ratio)
        for _ in range(10):
            target = area * np.random.uniform(*self.scale)
            aspect = math.exp(np.random.uniform(*log_ratio))
            w = int(round(math.sqrt(target * aspect)))
            h = int(round(math.sqrt(target / aspect)))
            if 0 < w <= width and 0 < h <= height:
                return (np.random.randint(0, width - w + 1),
                        np.random.randint(0, height - h + 1), w, h)
        aspect = width / height
        if aspect < self.ratio[0]:
            w, h = width, int(round(width / self.ratio[0]))
        elif aspect > self.ratio[1]:
            w, h = int(round(height * self.ratio[1])), height
        else:
            w, h = width, height
        return (width - w) // 2, (height - h) // 2, w, h

    def transform(self, results):
        """Crop and resize the clip.

        Args:
            results (dict): The pipeline dict.
        """
        imgs = results['imgs']
        x, y, w, h = self._box(*imgs.shape[1:3])
        results['imgs'] = resize_clip(imgs[:, y:y + h, x:x + w], self.size,
                                      self.interpolation)
        results['img_shape'] = results['imgs'].shape[1:3]
        results['crop_bbox'] = (x, y, x + w, y + h)
        return results


@TRANSFORMS.register_module()
class ClipCenterCrop(SettingsReprTransform):
    """Crop the centred ``crop_size`` box of every frame (a view, no copy).

    Required keys: ``imgs``. Modified keys: ``imgs``, ``img_shape``.
    Added keys: ``crop_bbox`` (x1, y1, x2, y2).

    Args:
        crop_size (int | tuple[int, int]): Output (width, height); must not
            exceed the frame size.
    """
    repr_settings = ('crop_size',)

    def __init__(self, crop_size):
        self.crop_size = _pair(crop_size)

    def transform(self, results):
        """Crop the clip.

        Args:
            results (dict): The pipeline dict.
        """
        imgs = results['imgs']
        height, width = imgs.shape[1:3]
        w, h = self.crop_size
        if w > width or h > height:
            raise ValueError(
                f'{results.get("video_path", results.get("img_path"))}: '
                f'crop {self.crop_size} exceeds the frame size '
                f'({width}, {height}); resize first (ClipResize)')
        x, y = (width - w) // 2, (height - h) // 2
        results['imgs'] = imgs[:, y:y + h, x:x + w]
        results['img_shape'] = (h, w)
        results['crop_bbox'] = (x, y, x + w, y + h)
        return results
