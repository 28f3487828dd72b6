"""A grid of equal image tiles under a title, with row labels (PIL).

The pre-training figures (frames / masked frames / reconstructions, frames
with selector scores) are such grids. The layout is fixed by the grid's
arguments alone, never by the text it shows: the title band always holds
``title_lines`` lines (longer titles are wrapped, then cut with "..."), so
the figures of several clips of one batch have one shape and stack into one
image, and :meth:`TileGrid.origin` tells where each tile's pixels are.

Pixel layout, top to bottom: ``gap``, the title band (if a title line is
asked), then the rows of tiles, each tile framed by ``gap`` background
pixels; left to right: the label column (if there are labels), then the
columns of tiles. Tiles are enlarged ``zoom`` times with nearest-neighbour
sampling, so patch boundaries stay sharp and text stays legible on small
frames.
"""
import numpy as np
from PIL import Image, ImageDraw, ImageFont

BACKGROUND = (255, 255, 255)
TEXT = (0, 0, 0)
OUTLINE = (0, 200, 0)
FONT_SIZE = 12
LINE_HEIGHT = 16


def zoom_for(frame_size, min_tile=128):
    """The integer zoom that makes a tile at least ``min_tile`` pixels.

    Args:
        frame_size (tuple[int, int]): Frame (height, width).
        min_tile (int): Smallest tile side wanted. Defaults to 128.
    """
    return max(1, -(-min_tile // min(frame_size)))


class TileGrid:
    """Layout and rendering of ``num_rows`` x ``num_cols`` tiles.

    Args:
        num_rows (int): Rows of tiles.
        num_cols (int): Columns of tiles.
        frame_size (tuple[int, int]): (height, width) of one tile before
            zooming.
        zoom (int): Integer enlargement of every tile. Defaults to 1.
        row_labels (Sequence[str]): One label per row, written left of the
            row; empty for no label column. Defaults to ().
        title_lines (int): Text lines reserved for the title; 0 for no title
            band. Defaults to 0.
        gap (int): Background pixels around each tile; outlines are drawn in
            it, ``gap // 2`` wide. Defaults to 6.
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
        """Draw the grid.

        Args:
            tiles (np.ndarray): (num_rows, num_cols, h, w, 3) uint8 RGB at
                ``frame_size``.
            title (str, optional): Written in the title band (needs
                ``title_lines > 0``).
            tile_texts (Sequence[Sequence[str]], optional): Per row and
                column, a short text written on the tile's top-left corner
                (white on black).
            outlined (np.ndarray, optional): (num_rows, num_cols) bool; those
                tiles get an ``OUTLINE`` frame in the gap around them.

        Returns:
            np.ndarray: (H, W, 3) uint8 RGB of :attr:`shape`.
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
