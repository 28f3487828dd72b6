"""Horizontal flip of a whole clip."""
import numpy as np
from mmcv.transforms import BaseTransform

from smaug.registry import TRANSFORMS


@TRANSFORMS.register_module()
class ClipFlip(BaseTransform):
    """Mirror all K frames left-right with probability ``prob``.

    One strided copy of the (K, H, W, 3) array (a negative-stride view could
    not become a tensor).

    Required keys: ``imgs``. Modified keys: ``imgs``. Added keys: ``flip``.

    Args:
        prob (float): Flip probability. Defaults to 0.5.
    """

    def __init__(self, prob=0.5):
        if not 0 <= prob <= 1:
            raise ValueError(f'prob must be in [0, 1], got {prob}')
        self.prob = prob

    def transform(self, results):
        """Maybe flip the clip.

        Args:
            results (dict): The pipeline dict.
        """
        flip = np.random.rand() < self.prob
        if flip:
            results['imgs'] = np.ascontiguousarray(results['imgs'][:, :, ::-1])
        results['flip'] = bool(flip)
        return results

    def __repr__(self):
        return f'{type(self).__name__}(prob={self.prob})'
