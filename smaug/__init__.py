"""smaug: SMAUG video-language pre-training on MMEngine."""
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

# Importing the engine replaces mmengine's local checkpoint loader with the
# weights-only one, for every tool and config that uses smaug.
from . import engine  # noqa: E402,F401

__all__ = ['__version__']
