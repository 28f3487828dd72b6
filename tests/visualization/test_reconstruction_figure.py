"""Fig. 4: MAE reconstruction on the tiny SMAUG, and its drawing."""

import numpy as np
import pytest
import torch

from smaug.models.heads.patchify import patchify
from smaug.visualization import (GREY, mae_reconstruction,
                                 reconstruction_figure, reconstruction_grid)

import tiny_smaug

PATCH, GRID = 8, 8  # the tiny model: 64x64 frames, 8x8 patches


def pixel_mask(mask):
    """(N, ) patch mask -> (H, W) pixel mask."""
    return mask.reshape(GRID, GRID).repeat(PATCH, 0).repeat(PATCH, 1)


def test_masked_patches_are_grey_and_visible_ones_kept(model):
    clips = tiny_smaug.random_clips()
    model.train()
    model.frame_selector.eval()
    rng_before = torch.get_rng_state()
    result = mae_reconstruction(model, clips)
    # training state untouched: modes and the random generator
    assert torch.equal(torch.get_rng_state(), rng_before)
    assert model.training and model.backbone.training
    assert not model.frame_selector.training

    assert result['mask'].shape == (2, GRID * GRID)
    assert (result['mask'].sum(1) == 32).all()  # mask_ratio 0.5 of 64
    assert not np.array_equal(result['mask'][0], result['mask'][1])
    frames = torch.stack(clips).permute(0, 1, 3, 4, 2).numpy()
    np.testing.assert_array_equal(result['frames'], frames)
    for clip in range(2):
        hidden = pixel_mask(result['mask'][clip])
        masked = result['masked'][clip]
        assert (masked[:, hidden] == GREY).all()
        np.testing.assert_array_equal(masked[:, ~hidden],
                                      frames[clip][:, ~hidden])
        recon = result['reconstruction'][clip].astype(int)
        # visible patches come back from normalisation within rounding
        assert np.abs(recon[:, ~hidden] - frames[clip][:, ~hidden]).max() \
            <= 1
        assert np.abs(recon[:, hidden] - frames[clip][:, hidden]).max() > 1


@pytest.mark.parametrize('norm_pix', [True, False])
def test_a_perfect_decoder_reconstructs_the_frames(model, monkeypatch,
                                                   norm_pix):
    """The de-normalisation inverts the loss target exactly."""
    clips = tiny_smaug.random_clips(num_clips=1, seed=1)
    inputs = model.data_preprocessor(dict(inputs=clips), False)['inputs']
    target = patchify(inputs.flatten(0, 1), PATCH)
    if norm_pix:
        target = (target - target.mean(-1, keepdim=True)) / (
            target.var(-1, keepdim=True) + 1e-6).sqrt()
    monkeypatch.setattr(model.mvm_head, 'norm_pix_loss', norm_pix)
    monkeypatch.setattr(model.mvm_head, 'forward',
                        lambda *args: target.view(1, 4, GRID * GRID, -1))
    result = mae_reconstruction(model, clips)
    error = result['reconstruction'].astype(int) - result['frames']
    assert result['mask'].any() and np.abs(error).max() <= 1


def test_figure_layout_and_grey_masked_row(model):
    clips = tiny_smaug.random_clips(num_clips=1, num_frames=3, seed=2)
    result = mae_reconstruction(model, clips)
    image = reconstruction_figure(result['frames'][0], result['masked'][0],
                                  result['reconstruction'][0],
                                  caption='a red circle moves left')
    grid = reconstruction_grid(3, (64, 64))
    assert image.shape == grid.shape + (3, ) and image.dtype == np.uint8
    assert grid.zoom == 2 and image.shape[1] > 3 * 128
    hidden = pixel_mask(result['mask'][0]).repeat(2, 0).repeat(2, 1)
    for frame in range(3):
        top, left = grid.origin(1, frame)
        tile = image[top:top + 128, left:left + 128]
        assert (tile[hidden] == GREY).all()
        top, left = grid.origin(0, frame)
        np.testing.assert_array_equal(
            image[top:top + 128:2, left:left + 128:2],
            result['frames'][0, frame])
    untitled = reconstruction_figure(result['frames'][0],
                                     result['masked'][0],
                                     result['reconstruction'][0])
    assert untitled.shape[0] == image.shape[0] - grid.title_height
