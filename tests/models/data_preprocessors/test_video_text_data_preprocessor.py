"""VideoTextDataPreprocessor: frames normalised with CLIP's RGB constants."""

import pytest
import torch

from smaug.datasets.transforms import LoadImageAsClip, PackVideoTextInputs
from smaug.registry import MODELS

import media_files

# OpenAI CLIP's image normalisation, channels in R, G, B order.
CLIP_RGB_MEAN = (0.48145466, 0.4578275, 0.40821073)
CLIP_RGB_STD = (0.26862954, 0.26130258, 0.27577711)


@pytest.mark.parametrize('colour, rgb', [('red', (255, 0, 0)),
                                         ('green', (0, 255, 0)),
                                         ('blue', (0, 0, 255))])
def test_pure_colours_normalise_with_clip_rgb_constants(
        colour, rgb, tmp_path):
    """A pure-colour PNG read by the image pipeline comes out as
    ``(value / 255 - mean) / std`` with CLIP's constant of its channel."""
    # cv2 writes BGR triples.
    path = media_files.write_image(tmp_path / f'{colour}.png', value=rgb[::-1])
    packed = PackVideoTextInputs()(LoadImageAsClip()(dict(img_path=str(path))))
    preprocessor = MODELS.build(dict(type='VideoTextDataPreprocessor',
                                     tokenizer=str(tmp_path / 'unused')))
    frames = preprocessor(dict(inputs=[packed['inputs']],
                               data_samples=[packed['data_samples']]))
    frames = frames['inputs']
    assert frames.shape == (1, 1, 3, 30, 40) and frames.dtype == torch.float32
    for channel, (value, mean, std) in enumerate(
            zip(rgb, CLIP_RGB_MEAN, CLIP_RGB_STD)):
        expected = torch.full((30, 40), (value / 255 - mean) / std)
        torch.testing.assert_close(frames[0, 0, channel], expected,
                                   rtol=0, atol=1e-5)
