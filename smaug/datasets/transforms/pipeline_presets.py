"""The data pipelines of the configs, as transforms: a config names its
pipeline in one dict (``pipeline=[dict(type='VideoTrainPipeline')]``) and
the preset builds the steps for a frame count and a frame size, which the
config loader fills in from the config's ``num_frames`` /
``num_test_frames`` / ``img_size`` (:mod:`smaug.config.config_variables`).

Two styles of augmentation:

- ``'paper'`` (the paper's data): random resized crops of 50-100% of the
  frame, horizontal flips, and test frames resized bicubically.
- ``'synthetic'`` (the synthetic corpus, whose captions name positions and
  directions): crops of 80-100% so that no shape leaves the picture, no
  flip, and ClipResize's default interpolation at test.
"""
from mmengine.dataset import Compose

from smaug.registry import TRANSFORMS

#: Per style: the crop's area range, whether to flip, and the test
#: resize's interpolation (None: ClipResize's default).
STYLES = dict(
    paper=dict(crop_scale=(0.5, 1.0), flip=True, interpolation='bicubic'),
    synthetic=dict(crop_scale=(0.8, 1.0), flip=False, interpolation=None))


def _style(style):
    """The settings of ``style``, or a ValueError naming the styles."""
    if style not in STYLES:
        raise ValueError(f'style must be one of {sorted(STYLES)}, got '
                         f'{style!r}')
    return STYLES[style]


def _augmentation(img_size, style):
    """The random crop (and flip) of a training pipeline."""
    setting = _style(style)
    steps = [dict(type='ClipRandomResizedCrop', size=img_size,
                  scale=setting['crop_scale'])]
    if setting['flip']:
        steps.append(dict(type='ClipFlip', prob=0.5))
    return steps


def _decoded_frames(num_frames, test_mode):
    """Open a video and decode ``num_frames`` frames, one per segment (its
    centre frame in ``test_mode``, else a random one)."""
    sample = dict(type='SampleClipFrames', num_frames=num_frames)
    if test_mode:
        sample['test_mode'] = True
    return [dict(type='DecordInit'), sample, dict(type='DecordDecode')]


def _text_and_packing(text_keys):
    """The text cleaning and packing that end every pipeline."""
    clean = dict(type='CleanText')
    if text_keys is not None:
        clean['keys'] = tuple(text_keys)
    return [clean, dict(type='PackVideoTextInputs')]


class PipelinePreset(Compose):
    """A Compose of the transforms ``step_cfgs`` lists, built in smaug's
    registry (whatever the default scope).

    Args:
        step_cfgs (list[dict]): The transform configs, kept as
            ``self.step_cfgs`` for readers that time or fingerprint them.
    """

    def __init__(self, step_cfgs):
        self.step_cfgs = step_cfgs
        super().__init__([TRANSFORMS.build(step) for step in step_cfgs])


@TRANSFORMS.register_module()
class VideoTrainPipeline(PipelinePreset):
    """Training clips: ``num_frames`` frames, one drawn from each segment,
    randomly cropped to ``img_size``.

    Args:
        num_frames (int): Frames per clip.
        img_size (int): Frame size (square).
        style (str): ``'paper'`` or ``'synthetic'``, see :data:`STYLES`.
        text_keys (Sequence[str], optional): The text fields to clean; None
            keeps CleanText's default (the caption).
    """

    def __init__(self, num_frames, img_size, style='paper', text_keys=None):
        super().__init__([
            *_decoded_frames(num_frames, test_mode=False),
            *_augmentation(img_size, style),
            *_text_and_packing(text_keys),
        ])


@TRANSFORMS.register_module()
class ImageTrainPipeline(PipelinePreset):
    """Training still images (one-frame clips), randomly cropped to
    ``img_size``.

    Args:
        img_size (int): Frame size (square).
        style (str): ``'paper'`` or ``'synthetic'``, see :data:`STYLES`.
    """

    def __init__(self, img_size, style='paper'):
        super().__init__([
            dict(type='LoadImageAsClip'),
            *_augmentation(img_size, style),
            *_text_and_packing(None),
        ])


@TRANSFORMS.register_module()
class VideoTestPipeline(PipelinePreset):
    """Test clips: ``num_frames`` segment-centre frames, each resized (not
    cropped) to ``img_size`` x ``img_size``.

    Args: as :class:`VideoTrainPipeline`.
    """

    def __init__(self, num_frames, img_size, style='paper', text_keys=None):
        resize = dict(type='ClipResize', scale=(img_size, img_size))
        interpolation = _style(style)['interpolation']
        if interpolation is not None:
            resize['interpolation'] = interpolation
        super().__init__([
            *_decoded_frames(num_frames, test_mode=True),
            resize,
            *_text_and_packing(text_keys),
        ])
