"""TileGrid: layout arithmetic, tile placement, outlines, fixed title band."""
import numpy as np
import pytest

from smaug.visualization import TileGrid, zoom_for
from smaug.visualization.tile_grid import BACKGROUND, OUTLINE


def test_zoom_makes_tiles_at_least_the_minimum():
    assert zoom_for((64, 64)) == 2
    assert zoom_for((224, 224)) == 1
    assert zoom_for((50, 80), min_tile=128) == 3


def test_tiles_land_at_their_origins_zoomed():
    grid = TileGrid(2, 3, (4, 5), zoom=2, row_labels=('a', 'bb'),
                    title_lines=2, gap=6)
    tiles = np.random.default_rng(0).integers(
        0, 256, (2, 3, 4, 5, 3), dtype=np.uint8)
    image = grid.render(tiles, title='a title')
    assert image.shape == grid.shape + (3, )
    assert grid.label_width > 0 and grid.title_height == 32
    for row in range(2):
        for col in range(3):
            top, left = grid.origin(row, col)
            expected = tiles[row, col].repeat(2, 0).repeat(2, 1)
            np.testing.assert_array_equal(
                image[top:top + 8, left:left + 10], expected)
    # the last tile ends one gap before the image's edges
    top, left = grid.origin(1, 2)
    assert (top + 8 + 6, left + 10 + 6) == grid.shape


def test_outlines_only_around_outlined_tiles():
    grid = TileGrid(1, 2, (8, 8), gap=6)
    tiles = np.zeros((1, 2, 8, 8, 3), dtype=np.uint8)
    image = grid.render(tiles, outlined=np.array([[True, False]]))
    for col, colour in ((0, OUTLINE), (1, BACKGROUND)):
        top, left = grid.origin(0, col)
        np.testing.assert_array_equal(image[top - 1, left + 4], colour)
        np.testing.assert_array_equal(image[top + 4, left + 8], colour)
    # the tiles themselves are untouched
    top, left = grid.origin(0, 0)
    assert not image[top:top + 8, left:left + 8].any()


def test_long_titles_keep_the_shape_and_bad_input_is_named():
    grid = TileGrid(1, 1, (16, 16), title_lines=1)
    tiles = np.zeros((1, 1, 16, 16, 3), dtype=np.uint8)
    short = grid.render(tiles, title='short')
    long = grid.render(tiles, title=' '.join(['word'] * 50))
    assert short.shape == long.shape
    assert not np.array_equal(short, long)
    with pytest.raises(ValueError, match='tile_grid.py.*tiles'):
        grid.render(tiles[..., 0])
    with pytest.raises(ValueError, match='row_labels'):
        TileGrid(2, 1, (16, 16), row_labels=('only one', ))
