"""smaug: SMAUG video-language pre-training on MMEngine."""
import warnings

import mmcv
from mmengine.utils import digit_version

from .version import __version__

MMCV_MIN, MMCV_MAX = '2.0.0', '2.4.0'
if not (digit_version(MMCV_MIN) <= digit_version(mmcv.__version__) <
        digit_version(MMCV_MAX)):
    raise ImportError(
        f'smaug needs mmcv (full or lite) >= {MMCV_MIN}, < {MMCV_MAX} (the '
        f'range mmpretrain 1.2.0 accepts), but found mmcv {mmcv.__version__}. '
        'Install requirements/mmcv.txt.')

# mmcv-lite has no compiled ops, so mmpretrain's import of mmcv's transformer
# bricks warns that MultiScaleDeformableAttention is missing, in every command.
# smaug never uses that op: silence exactly this warning, nothing else.
warnings.filterwarnings(
    'ignore', message='Fail to import ``MultiScaleDeformableAttention``',
    category=UserWarning, module=r'mmcv\.cnn\.bricks\.transformer')

__all__ = ['__version__']
