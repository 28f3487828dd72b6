"""The builders of the configs' data entries (smaug/datasets/*_configs.py)
give pipelines that build and run, at the frame count and size asked."""
import numpy as np
import pytest

import smaug.datasets  # noqa: F401  (registers the transforms)
from smaug.datasets import loader_configs, pipeline_configs
from smaug.datasets.corpus_configs import pretrain_corpus
from smaug.registry import TRANSFORMS


def build(steps):
    """The transforms of a pipeline config, built."""
    return [TRANSFORMS.build(step) for step in steps]


@pytest.mark.parametrize('style, flips', [('paper', True),
                                          ('synthetic', False)])
def test_image_pipeline_runs_at_the_size(style, flips):
    steps = pipeline_configs.image_train(48, style)
    assert any(step['type'] == 'ClipFlip' for step in steps) == flips
    results = dict(imgs=np.zeros((1, 60, 80, 3), np.uint8),
                   img_shape=(60, 80), ori_shape=(60, 80), text='A Cat.')
    for transform in build(steps[1:]):  # the still image given decoded
        results = transform(results)
    assert tuple(results['inputs'].shape) == (1, 3, 48, 48)


def test_video_pipelines_take_frames_size_and_text_keys():
    train = pipeline_configs.video_train(4, 288, text_keys=('question', ))
    test = pipeline_configs.video_test(12, 336, 'synthetic')
    assert train[1] == dict(type='SampleClipFrames', num_frames=4)
    assert train[3] == dict(type='ClipRandomResizedCrop', size=288,
                            scale=(0.5, 1.0))
    assert train[-2] == dict(type='CleanText', keys=('question', ))
    assert test[1] == dict(type='SampleClipFrames', num_frames=12,
                           test_mode=True)
    assert test[3] == dict(type='ClipResize', scale=(336, 336))
    assert test[-2] == dict(type='CleanText')
    build(train)
    build(test)


def test_corpus_and_loader_configs():
    corpus = pretrain_corpus('sbu', 'image', [], 'shards')
    assert corpus['data_root'] == 'data/sbu'
    assert corpus['data_prefix'] == dict(image='images')
    assert corpus['ann_file'] == 'annotations/sbu_train.json'
    loader = loader_configs.dataloader(corpus, 4, shuffle=False,
                                       style='synthetic')
    assert loader['num_workers'] == 2 and 'pin_memory' not in loader
    assert loader['sampler'] == dict(type='DefaultSampler', shuffle=False)
