"""The pipeline presets of the configs (VideoTrainPipeline,
ImageTrainPipeline, VideoTestPipeline) build their steps at the frame
count and size asked, in either augmentation style, and run."""
import numpy as np
import pytest

from smaug.datasets.transforms import (ImageTrainPipeline, VideoTestPipeline,
                                       VideoTrainPipeline)
from smaug.registry import TRANSFORMS


def step_types(preset):
    """The types of a built preset's transforms."""
    return [type(step).__name__ for step in preset.transforms]


@pytest.mark.parametrize('style, flips', [('paper', True),
                                          ('synthetic', False)])
def test_image_pipeline_runs_at_the_size(style, flips):
    preset = ImageTrainPipeline(img_size=48, style=style)
    assert ('ClipFlip' in step_types(preset)) == flips
    results = dict(imgs=np.zeros((1, 60, 80, 3), np.uint8),
                   img_shape=(60, 80), ori_shape=(60, 80), text='A Cat.')
    for transform in preset.transforms[1:]:  # the still image given decoded
        results = transform(results)
    assert tuple(results['inputs'].shape) == (1, 3, 48, 48)
    assert results['data_samples'].text == 'a cat'


def test_video_pipelines_take_frames_size_and_text_keys():
    train = VideoTrainPipeline(4, 288, text_keys=('question', )).step_cfgs
    test = VideoTestPipeline(12, 336, 'synthetic').step_cfgs
    assert train[1] == dict(type='SampleClipFrames', num_frames=4)
    assert train[3] == dict(type='ClipRandomResizedCrop', size=288,
                            scale=(0.5, 1.0))
    assert train[-2] == dict(type='CleanText', keys=('question', ))
    assert test[1] == dict(type='SampleClipFrames', num_frames=12,
                           test_mode=True)
    assert test[3] == dict(type='ClipResize', scale=(336, 336))
    assert test[-2] == dict(type='CleanText')
    paper_test = VideoTestPipeline(12, 224).step_cfgs
    assert paper_test[3]['interpolation'] == 'bicubic'


def test_a_preset_is_one_transform_of_a_config(tmp_path, media):
    video = str(media.write_video(tmp_path / 'v.mp4', num_frames=12))
    preset = TRANSFORMS.build(dict(type='VideoTestPipeline', num_frames=3,
                                   img_size=32))
    assert step_types(preset) == ['DecordInit', 'SampleClipFrames',
                                  'DecordDecode', 'ClipResize', 'CleanText',
                                  'PackVideoTextInputs']
    clip = preset(dict(video_path=video, text='Hi!'))['inputs']
    assert tuple(clip.shape) == (3, 3, 32, 32)


def test_an_unknown_style_is_named():
    with pytest.raises(ValueError, match=r"style must be one of \['paper', "
                       r"'synthetic'\], got 'real'"):
        VideoTrainPipeline(4, 64, style='real')
