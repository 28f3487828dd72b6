"""Packing a pipeline result into the model's input format."""
import numpy as np
import torch
from mmcv.transforms import BaseTransform
from mmpretrain.structures import DataSample

from smaug.registry import TRANSFORMS


@TRANSFORMS.register_module()
class PackVideoTextInputs(BaseTransform):
    """Pack frames and annotations into ``dict(inputs, data_samples)``.

    ``inputs`` is a uint8 tensor (K, 3, H, W); ``data_samples`` a
    :class:`mmpretrain.structures.DataSample` whose metainfo holds the
    ``meta_keys`` present in the results (see CONTRACTS.md: ``text``,
    ``video_index``, ``question``, ``answer``, ``question_id``, ``options``,
    ``answer_index``, ``video_path``/``img_path``, ``sample_idx``).

    Required keys: ``imgs`` (uint8 ndarray (K, H, W, 3)).

    Args:
        meta_keys (Sequence[str]): Keys copied into the data sample when
            present.
    """

    def __init__(self,
                 meta_keys=('text', 'video_index', 'question', 'answer',
                            'question_id', 'options', 'answer_index',
                            'video_path', 'img_path', 'sample_idx',
                            'frame_inds')):
        self.meta_keys = tuple(meta_keys)

    def transform(self, results):
        """Pack the results.

        Args:
            results (dict): The pipeline dict.
        """
        imgs = results['imgs']
        if imgs.ndim != 4 or imgs.shape[-1] != 3 or imgs.dtype != np.uint8:
            raise ValueError(f'imgs must be a uint8 (K, H, W, 3) array, got '
                             f'{imgs.dtype} {imgs.shape}')
        inputs = torch.from_numpy(imgs).permute(0, 3, 1, 2).contiguous()
        meta = {
            key: results[key]
            for key in self.meta_keys
            # a file-like object given as video_path is not metadata
            if key in results and not hasattr(results[key], 'read')
        }
        return dict(inputs=inputs, data_samples=DataSample(metainfo=meta))

    def __repr__(self):
        return f'{type(self).__name__}(meta_keys={self.meta_keys})'
