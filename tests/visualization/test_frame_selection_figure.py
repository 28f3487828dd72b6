"""Fig. 3: frame scores and selection on the tiny SMAUG, and its drawing."""

import numpy as np
import pytest
import torch

from smaug.visualization import (frame_selection, frame_selection_figure,
                                 frame_selection_grid)
from smaug.visualization.tile_grid import BACKGROUND, OUTLINE

import tiny_smaug

CAPTIONS = ['a red circle moves left', 'the blue square goes up then down']


def test_selects_the_top_scoring_frames_in_eval_mode(model):
    clips = tiny_smaug.random_clips(num_frames=6)
    model.train()
    rng_before = torch.get_rng_state()
    result = frame_selection(model, clips, CAPTIONS)
    assert torch.equal(torch.get_rng_state(), rng_before)
    assert model.training and model.frame_selector.training
    assert result['scores'].shape == (2, 6)
    assert result['frames'].shape == (2, 6, 64, 64, 3)
    # kappa: the tiny config's training setting (2); no test setting
    assert (result['selected'].sum(1) == 2).all()
    for scores, selected in zip(result['scores'], result['selected']):
        assert scores[selected].min() >= scores[~selected].max()
    # eval mode: no Gumbel noise, the same answer every time
    again = frame_selection(model, clips, CAPTIONS, num_selected=3)
    assert np.allclose(again['scores'], result['scores'])
    assert (again['selected'].sum(1) == 3).all()
    assert (again['selected'] >= result['selected']).all()
    with pytest.raises(ValueError, match='2 clips but 1 captions'):
        frame_selection(model, clips, CAPTIONS[:1])


def test_figure_outlines_the_selected_frames(model):
    clips = tiny_smaug.random_clips(num_clips=1, num_frames=4, seed=3)
    result = frame_selection(model, clips, CAPTIONS[:1])
    selected = result['selected'][0]
    image = frame_selection_figure(result['frames'][0], result['scores'][0],
                                   selected, CAPTIONS[0])
    grid = frame_selection_grid(4, (64, 64))
    assert image.shape == grid.shape + (3, )
    for frame in range(4):
        top, left = grid.origin(0, frame)
        colour = OUTLINE if selected[frame] else BACKGROUND
        np.testing.assert_array_equal(image[top + 64, left - 2], colour)
        np.testing.assert_array_equal(image[top + 129, left + 64], colour)
        # below the score label, the frame itself (zoomed 2x)
        np.testing.assert_array_equal(
            image[top + 40:top + 128:2, left:left + 128:2],
            result['frames'][0, frame, 20:])
