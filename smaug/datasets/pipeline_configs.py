"""The data pipelines of the configs, built from a frame count and a
resolution: the one place that lists the transforms, so that a config
changes a frame count or a frame size with one call instead of a copy of
the whole pipeline. Each function returns the plain list of transform
dicts that a dataset's ``pipeline`` takes.

Two styles of augmentation:

- ``'paper'`` (the paper's data): random resized crops of 50-100% of the
  frame, horizontal flips, and test frames resized bicubically.
- ``'synthetic'`` (the synthetic corpus, whose captions name positions and
  directions): crops of 80-100% so that no shape leaves the picture, no
  flip, and ClipResize's default interpolation at test.

Used in a config (after its ``_base_`` line: mmengine reads a file that
imports a module before assigning ``_base_`` as a pure-Python config)::

    _base_ = ['./_base_/datasets/msrvtt_ret.py']
    from smaug.datasets import pipeline_configs as pipelines
    num_frames = 4
    train_pipeline = pipelines.video_train(num_frames, img_size=224)
"""

#: Per style: the crop's area range, whether to flip, and the test
#: resize's interpolation (None: ClipResize's default).
STYLES = dict(
    paper=dict(crop_scale=(0.5, 1.0), flip=True, interpolation='bicubic'),
    synthetic=dict(crop_scale=(0.8, 1.0), flip=False, interpolation=None))


def _augmentation(img_size, style):
    """The random crop (and flip) of a training pipeline."""
    setting = STYLES[style]
    steps = [dict(type='ClipRandomResizedCrop', size=img_size,
                  scale=setting['crop_scale'])]
    if setting['flip']:
        steps.append(dict(type='ClipFlip', prob=0.5))
    return steps


def _decoded_frames(num_frames, test_mode):
    """The steps that open a video and decode ``num_frames`` frames of it,
    one per segment (its centre frame in ``test_mode``, else a random
    one)."""
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


def video_train(num_frames, img_size, style='paper', text_keys=None):
    """A training pipeline of video clips: ``num_frames`` frames drawn one
    from each segment, randomly cropped to ``img_size``.

    Args:
        num_frames (int): Frames per clip.
        img_size (int): Frame size (square).
        style (str): ``'paper'`` or ``'synthetic'``, see :data:`STYLES`.
        text_keys (tuple[str], optional): The text fields to clean;
            None keeps CleanText's default (the caption).
    """
    return [
        *_decoded_frames(num_frames, test_mode=False),
        *_augmentation(img_size, style),
        *_text_and_packing(text_keys),
    ]


def image_train(img_size, style='paper'):
    """A training pipeline of still images (one-frame clips), randomly
    cropped to ``img_size``.

    Args:
        img_size (int): Frame size (square).
        style (str): ``'paper'`` or ``'synthetic'``, see :data:`STYLES`.
    """
    return [
        dict(type='LoadImageAsClip'),
        *_augmentation(img_size, style),
        *_text_and_packing(None),
    ]


def video_test(num_frames, img_size, style='paper', text_keys=None):
    """A test pipeline of video clips: ``num_frames`` segment-centre
    frames, each resized (not cropped) to ``img_size`` x ``img_size``.

    Args: as :func:`video_train`.
    """
    resize = dict(type='ClipResize', scale=(img_size, img_size))
    interpolation = STYLES[style]['interpolation']
    if interpolation is not None:
        resize['interpolation'] = interpolation
    return [
        *_decoded_frames(num_frames, test_mode=True),
        resize,
        *_text_and_packing(text_keys),
    ]
