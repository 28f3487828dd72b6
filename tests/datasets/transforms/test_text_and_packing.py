"""CleanText, PackVideoTextInputs and LoadImageAsClip."""
import os

import numpy as np
import pytest
import torch
from mmpretrain.structures import DataSample

from smaug.datasets.transforms import (BadMediaError, CleanText,
                                       LoadImageAsClip, PackVideoTextInputs,
                                       clean_text)


def test_clean_text():
    assert clean_text('  A Man, in a T-Shirt; plays "guitar"!! ') == \
        'a man in a t shirt plays guitar'
    assert clean_text('and/or   don\'t\tstop.') == 'and or dont stop'
    assert clean_text('one two three four', max_words=2) == 'one two'


def test_clean_text_transform_keys_and_lists():
    out = CleanText(keys=('text', 'question', 'missing'), max_words=3)(
        dict(text=['Hello, World!', 'A B C D'], question='What? Is it.',
             answer='Keep, Me'))
    assert out['text'] == ['hello world', 'a b c']
    assert out['question'] == 'what is it'
    assert out['answer'] == 'Keep, Me'


def test_pack_video_text_inputs():
    imgs = np.random.randint(0, 255, (4, 8, 6, 3), np.uint8)
    out = PackVideoTextInputs()(
        dict(imgs=imgs[:, 1:7], text='a cat', video_path='v.mp4',
             sample_idx=3, video_index=2, frame_inds=np.arange(4),
             unrelated='x'))
    inputs = out['inputs']
    assert inputs.dtype == torch.uint8 and inputs.shape == (4, 3, 6, 6)
    assert inputs.is_contiguous()
    torch.testing.assert_close(inputs[2, 1],
                               torch.from_numpy(imgs[2, 1:7, :, 1]))
    sample = out['data_samples']
    assert isinstance(sample, DataSample)
    assert sample.text == 'a cat' and sample.video_path == 'v.mp4'
    assert sample.sample_idx == 3 and sample.video_index == 2
    assert 'unrelated' not in sample
    with pytest.raises(ValueError, match='uint8'):
        PackVideoTextInputs()(dict(imgs=imgs.astype(np.float32)))


def test_pack_qa_and_mc_fields():
    imgs = np.zeros((1, 4, 4, 3), np.uint8)
    qa = PackVideoTextInputs()(
        dict(imgs=imgs, question='q', answer='a', question_id='q1'))
    assert (qa['data_samples'].question, qa['data_samples'].answer,
            qa['data_samples'].question_id) == ('q', 'a', 'q1')
    mc = PackVideoTextInputs()(
        dict(imgs=imgs, options=['a', 'b'], answer_index=1))
    assert mc['data_samples'].options == ['a', 'b']
    assert mc['data_samples'].answer_index == 1


def test_load_image_as_clip(tmp_path, media):
    # written by cv2 as BGR (10, 100, 200): read back as RGB
    path = str(media.write_image(tmp_path / 'i.jpg', size=(40, 30),
                                 value=(10, 100, 200)))
    out = LoadImageAsClip()(dict(img_path=path))
    assert out['imgs'].shape == (1, 30, 40, 3) and out['imgs'].dtype == \
        np.uint8
    np.testing.assert_allclose(out['imgs'].reshape(-1, 3).mean(0),
                               [200, 100, 10], atol=3)
    assert out['num_frames'] == 1 and out['img_shape'] == (30, 40)
    (tmp_path / 'empty.jpg').write_bytes(b'')
    (tmp_path / 'bad.jpg').write_bytes(b'not an image')
    os.mkfifo(tmp_path / 'pipe.jpg')
    for name, reason in [('missing.jpg', 'file not found'),
                         ('pipe.jpg', 'a named pipe, not a regular file'),
                         ('empty.jpg', 'empty file'),
                         ('bad.jpg', 'not a decodable image')]:
        with pytest.raises(BadMediaError, match=reason):
            LoadImageAsClip()(dict(img_path=str(tmp_path / name)))
