"""Reading an image as a one-frame clip."""
import cv2
import numpy as np
from mmengine.fileio import LocalBackend, get, get_file_backend

from smaug.registry import TRANSFORMS
from .bad_media import BadMediaError, check_regular_file
from .media_signature import wrong_key_hint
from .settings_repr import SettingsReprTransform


@TRANSFORMS.register_module()
class LoadImageAsClip(SettingsReprTransform):
    """Read ``results['img_path']`` into a clip of one RGB frame.

    Image-text pairs (CC3M, CC12M, SBU, VG, COCO) are clips with K=1, so the
    transforms after this one treat images and videos alike.

    Required keys: ``img_path``. Optional keys: ``media_file`` (a shard's
    member, read instead of ``img_path``: see
    :class:`~.shard_loading.LoadFromShards`).
    Added keys: ``imgs`` (uint8 ndarray (1, H, W, 3)), ``img_shape``,
    ``ori_shape``, ``frame_inds``, ``total_frames``, ``num_frames``.

    Args:
        backend_args (dict, optional): mmengine file backend arguments.
            Defaults to None.
    """
    repr_settings = ('backend_args',)

    def __init__(self, backend_args=None):
        self.backend_args = backend_args

    def transform(self, results):
        """Read the image.

        Args:
            results (dict): The pipeline dict.
        """
        if 'media_file' in results:
            path = results['media_file'].name
            data = results['media_file'].read()
        else:
            path = results['img_path']
            data = self._read(path)
        if not data:
            raise BadMediaError(path, 'empty file (0 bytes)')
        img = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
        if img is None:
            raise BadMediaError(
                path, 'not a decodable image' +
                wrong_key_hint(data[:16], 'image'))
        img = cv2.cvtColor(img, cv2.COLOR_BGR2RGB)
        results['imgs'] = img[None]
        results['img_shape'] = img.shape[:2]
        results['ori_shape'] = img.shape[:2]
        results['frame_inds'] = [0]
        results['total_frames'] = 1
        results['num_frames'] = 1
        return results

    def _read(self, path):
        """The bytes of the file ``path``.

        Args:
            path (str): The image.
        """
        if isinstance(get_file_backend(path, backend_args=self.backend_args),
                      LocalBackend):
            check_regular_file(path)
        try:
            return get(path, backend_args=self.backend_args)
        except FileNotFoundError as err:
            raise BadMediaError(path, 'file not found') from err
        except OSError as err:
            raise BadMediaError(path, f'cannot read it ({err})') from err
