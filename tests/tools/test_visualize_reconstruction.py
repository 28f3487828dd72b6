"""tools/analysis/visualize_reconstruction.py on a tiny random checkpoint."""

import numpy as np
import pytest
from PIL import Image

from smaug.visualization import GREY, reconstruction_grid

import tiny_smaug
from tool_scripts import load_tool


@pytest.fixture(scope='module')
def inputs(tmp_path_factory):
    return tiny_smaug.figure_tool_inputs(tmp_path_factory.mktemp('tool'))


def read_png(path):
    with Image.open(path) as image:
        assert image.format == 'PNG'
        return np.asarray(image.convert('RGB'))


def test_video_and_training_item_figures(inputs, tmp_path):
    tool = load_tool('analysis/visualize_reconstruction.py')
    out = tmp_path / 'figs' / 'video.png'
    assert tool.main([inputs['config'], inputs['checkpoint'], '--video',
                      inputs['video'], '--out', str(out)]) == 0
    image = read_png(out)
    grid = reconstruction_grid(4, (64, 64), with_caption=False)
    assert image.shape == grid.shape + (3, )
    # the masked row: half of the patches (mask ratio 0.5) exactly grey
    for frame in range(4):
        top, left = grid.origin(1, frame)
        tile = image[top:top + 128, left:left + 128]
        assert (tile == GREY).all(-1).mean() >= 0.5

    out = tmp_path / 'item.png'
    assert tool.main([inputs['config'], inputs['checkpoint'], '--index', '0',
                      '--out', str(out), '--seed', '3']) == 0
    assert read_png(out).shape == reconstruction_grid(4, (64, 64)).shape + (
        3, )


def test_refuses_a_model_without_decoder(inputs, tmp_path):
    tool = load_tool('analysis/visualize_reconstruction.py')
    with pytest.raises(SystemExit, match='no mvm_head'):
        tool.main([inputs['config'], inputs['checkpoint'], '--video',
                   inputs['video'], '--out', str(tmp_path / 'x.png'),
                   '--cfg-options', 'model.mvm_head=None'])
