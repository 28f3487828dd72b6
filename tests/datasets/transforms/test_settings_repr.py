"""A transform's repr names its class and settings, as a pipeline prints."""
from mmengine.dataset import Compose

from smaug.datasets.transforms import (ClipResize, SampleClipFrames,
                                       VideoTestPipeline)


def test_repr_lists_the_settings_in_order_with_their_reprs():
    assert repr(ClipResize(scale=(16, 8), interpolation='bicubic')) == (
        "ClipResize(scale=(16, 8), interpolation='bicubic')")
    assert repr(SampleClipFrames(num_frames=4, test_mode=True)) == (
        "SampleClipFrames(num_frames=4, mode='segment', fps=None, "
        'test_mode=True)')


def test_a_pipeline_prints_each_step_with_its_settings():
    pipeline = VideoTestPipeline(num_frames=3, img_size=32, style='paper')
    printed = repr(Compose(pipeline.transforms))
    assert 'SampleClipFrames(num_frames=3,' in printed
    assert "ClipResize(scale=(32, 32), interpolation='bicubic')" in printed
