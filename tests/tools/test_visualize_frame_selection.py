"""tools/analysis/visualize_frame_selection.py on a tiny random checkpoint."""

import numpy as np
import pytest
from PIL import Image

from smaug.visualization import frame_selection_grid
from smaug.visualization.tile_grid import OUTLINE

import tiny_smaug
from tool_scripts import load_tool


@pytest.fixture(scope='module')
def inputs(tmp_path_factory):
    return tiny_smaug.figure_tool_inputs(tmp_path_factory.mktemp('tool'))


def outlined_frames(path, num_frames):
    """Indices of the frames with a green outline in a saved figure."""
    with Image.open(path) as image:
        assert image.format == 'PNG'
        pixels = np.asarray(image.convert('RGB'))
    grid = frame_selection_grid(num_frames, (64, 64))
    assert pixels.shape == grid.shape + (3, )
    outlined = []
    for frame in range(num_frames):
        top, left = grid.origin(0, frame)
        if (pixels[top + 64, left - 2] == OUTLINE).all():
            outlined.append(frame)
    return outlined


@pytest.mark.parametrize('extra,kept', [([], 2), (['--num-selected', '3'],
                                                  3)])
def test_video_with_caption(inputs, tmp_path, capsys, extra, kept):
    tool = load_tool('analysis/visualize_frame_selection.py')
    out = tmp_path / 'selection.png'
    assert tool.main([inputs['config'], inputs['checkpoint'], '--video',
                      inputs['video'], '--caption', inputs['caption'],
                      '--out', str(out), *extra]) == 0
    outlined = outlined_frames(out, 4)
    assert len(outlined) == kept
    assert f'kept frames {outlined}' in capsys.readouterr().out


def test_training_item_and_missing_caption(inputs, tmp_path):
    tool = load_tool('analysis/visualize_frame_selection.py')
    out = tmp_path / 'item.png'
    assert tool.main([inputs['config'], inputs['checkpoint'], '--index', '1',
                      '--num-frames', '6', '--out', str(out)]) == 0
    # the training pipeline samples the config's 4 frames; kappa 2
    assert len(outlined_frames(out, 4)) == 2
    with pytest.raises(SystemExit, match='--caption'):
        tool.main([inputs['config'], inputs['checkpoint'], '--video',
                   inputs['video'], '--out', str(tmp_path / 'x.png')])
    with pytest.raises(SystemExit, match='--num-selected'):
        tool.main([inputs['config'], inputs['checkpoint'], '--video',
                   inputs['video'], '--caption', 'a', '--num-selected', '5',
                   '--out', str(tmp_path / 'x.png')])
