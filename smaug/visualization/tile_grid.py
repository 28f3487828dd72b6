"""A grid of equal image tiles under a title, with row labels (PIL).

The layout depends on the grid's arguments alone, never on its text (the
title band holds ``title_lines`` lines; longer titles are cut), so the
figures of a batch's clips stack into one image. Tiles are enlarged
``zoom`` times, nearest-neighbour, so patch edges stay sharp.
"""
import numpy as np
from PIL import Image, ImageDraw, ImageFont

BACKGROUND = (255, 255, 255)
TEXT = (0, 0, 0)
OUTLINE = (0, 200, 0)
FONT_SIZE = 12
LINE_HEIGHT = 16


def zoom_for(frame_size, min_tile=128):
    """The integer zoom that makes a (h, w) frame at least ``min_tile``
    pixels (default 128).
    """
    return max(1, -(-min_tile // min(frame_size)))


class TileGrid:
    """Layout and rendering of ``num_rows`` x ``num_cols`` tiles.

    Args:
        num_rows (int): Rows of tiles.
        num_cols (int): Columns of tiles.
        frame_size (tuple[int, int]): (h, w) of a tile before zooming.
        zoom (int): Integer enlargement. Defaults to 1.
        row_labels (Sequence[str]): One per row, or () for none.
        title_lines (int): Title lines; 0 for no title. Defaults to 0.
        gap (int): Background pixels around each tile (outlines are
            ``gap // 2`` wide). Defaults to 6.
    """

    def __init__(self,
                 num_rows,
                 num_cols,
                 frame_size,
                 zoom=1,
                 row_labels=(),
                 title_lines=0,
                 gap=6):
        if row_labels and len(row_labels) != num_rows:
            raise ValueError(
                f'smaug/visualization/tile_grid.py: {len(row_labels)} '
                f'row_labels for {num_rows} rows.')
        self.num_rows = num_rows
        self.num_cols = num_cols
        self.tile_size = (frame_size[0] * zoom, frame_size[1] * zoom)
        self.zoom = zoom
        self.row_labels = tuple(row_labels)
        self.title_lines = title_lines
        self.gap = gap
        self.font = ImageFont.load_default(size=FONT_SIZE)
        self.label_width = 0
        if self.row_labels:
            self.label_width = gap + max(
                int(np.ceil(self.font.getlength(label)))
                for label in self.row_labels)
        self.title_height = title_lines * LINE_HEIGHT

    @property
    def shape(self):
        """(height, width) of the rendered image in pixels."""
        tile_h, tile_w = self.tile_size
        height = self.gap + self.title_height + self.num_rows * (tile_h +
                                                                 self.gap)
        width = self.label_width + self.gap + self.num_cols * (tile_w +
                                                               self.gap)
        return height, width

    def origin(self, row, col):
        """(top, left) pixel of the tile at ``row``, ``col``."""
        tile_h, tile_w = self.tile_size
        top = self.gap + self.title_height + row * (tile_h + self.gap)
        left = self.label_width + self.gap + col * (tile_w + self.gap)
        return top, left

    def _wrap(self, text, width):
        """Split ``text`` into at most ``title_lines`` lines of ``width``
        pixels, cutting the last one with '...' when it does not fit."""
        lines, current = [], ''
        for word in text.split():
            candidate = f'{current} {word}'.strip()
            if current and self.font.getlength(candidate) > width:
                lines.append(current)
                current = word
            else:
                current = candidate
        lines.append(current)
        if len(lines) > self.title_lines:
            last = ' '.join(lines[self.title_lines - 1:])
            while last and self.font.getlength(last + '...') > width:
                last = last[:-1]
            lines = lines[:self.title_lines - 1] + [last + '...']
        return lines

    def render(self, tiles, title=None, tile_texts=None, outlined=None):
        """Draw the grid: (H, W, 3) uint8 of :attr:`shape`.

        Args:
            tiles (np.ndarray): (num_rows, num_cols, h, w, 3) uint8.
            title (str, optional): Needs ``title_lines > 0``.
            tile_texts (Sequence[Sequence[str]], optional): A short text per
                tile, written on its top-left corner.
            outlined (np.ndarray, optional): (num_rows, num_cols) bool; those
                tiles are framed.
        """
        tiles = np.asarray(tiles)
        expected = (self.num_rows, self.num_cols,
                    self.tile_size[0] // self.zoom,
                    self.tile_size[1] // self.zoom, 3)
        if tiles.shape != expected or tiles.dtype != np.uint8:
            raise ValueError(
                'smaug/visualization/tile_grid.py: tiles must be uint8 of '
                f'shape {expected}, got {tiles.dtype} {tiles.shape}.')
        height, width = self.shape
        canvas = np.full((height, width, 3), BACKGROUND, dtype=np.uint8)
        tile_h, tile_w = self.tile_size
        for row in range(self.num_rows):
            for col in range(self.num_cols):
                top, left = self.origin(row, col)
                canvas[top:top + tile_h, left:left + tile_w] = tiles[
                    row, col].repeat(self.zoom, 0).repeat(self.zoom, 1)
        image = Image.fromarray(canvas)
        draw = ImageDraw.Draw(image)
        if title and self.title_lines:
            lines = self._wrap(title, width - 2 * self.gap)
            for index, line in enumerate(lines):
                draw.text((self.gap, self.gap + index * LINE_HEIGHT), line,
                          fill=TEXT, font=self.font)
        for row, label in enumerate(self.row_labels):
            top, _ = self.origin(row, 0)
            draw.text((self.gap // 2, top + tile_h // 2), label, fill=TEXT,
                      font=self.font, anchor='lm')
        for row in range(self.num_rows):
            for col in range(self.num_cols):
                top, left = self.origin(row, col)
                if outlined is not None and outlined[row][col]:
                    half = self.gap // 2
                    draw.rectangle(
                        (left - half, top - half, left + tile_w + half - 1,
                         top + tile_h + half - 1),
                        outline=OUTLINE, width=half)
                if tile_texts is not None and tile_texts[row][col]:
                    box = draw.textbbox((left + 2, top + 2),
                                        tile_texts[row][col], font=self.font)
                    draw.rectangle((box[0] - 1, box[1] - 1, box[2] + 1,
                                    box[3] + 1), fill=(0, 0, 0))
                    draw.text((left + 2, top + 2), tile_texts[row][col],
                              fill=(255, 255, 255), font=self.font)
        return np.asarray(image)
