"""Pixels of synthetic scenes, written as mp4 clips and JPEG stills.

Shapes are filled polygons (or a disc) drawn with Pillow on a dark grey
background; sizes scale with the frame side, so one scene renders at 64 or
224 pixels alike. Distractor frames: ``noise`` is uniform random RGB from the
frame's own seed, ``blank`` is black, ``shake`` is the content frame
translated with black fill.

Clips are encoded with FFmpeg's ``mpeg4`` (MPEG-4 Part 2) encoder through
PyAV, yuv420p, no B-frames, one thread. Every FFmpeg build has that encoder
(unlike the GPL ``libx264``), decord decodes it frame-exactly with random
access, and a single-threaded encode of the same frames gives the same bytes.
The bit-rate ceiling (``BITS_PER_PIXEL`` per pixel per frame) is high enough
that flat shapes come through nearly losslessly and a noise frame does not
starve the frames after it.
"""
import math
import sys

import av
import numpy as np
from PIL import Image, ImageDraw

from synthetic_scenes import COLOURS, RADIUS

PALETTE = {
    'red': (220, 40, 40),
    'green': (40, 190, 60),
    'blue': (50, 100, 240),
    'yellow': (240, 220, 40),
    'purple': (150, 60, 210),
    'orange': (250, 140, 20),
    'white': (240, 240, 240),
}
assert tuple(PALETTE) == COLOURS, 'every scene colour needs an RGB value'
BACKGROUND = (40, 40, 40)
BITS_PER_PIXEL = 2
JPEG_QUALITY = 95


def _star(points=5, inner=0.45):
    """Vertices of a star of radius 1, one tip pointing up.

    Args:
        points (int): Number of tips.
        inner (float): Radius of the notches between tips.
    """
    vertices = []
    for k in range(2 * points):
        radius = inner if k % 2 else 1.0
        angle = -math.pi / 2 + k * math.pi / points
        vertices.append((radius * math.cos(angle), radius * math.sin(angle)))
    return tuple(vertices)


_ARM = 0.32  # half-width of a cross's arms
# Vertices in units of the shape radius, y pointing down; a circle is drawn
# as an ellipse instead.
POLYGONS = {
    'square': ((-0.85, -0.85), (0.85, -0.85), (0.85, 0.85), (-0.85, 0.85)),
    'triangle': ((0.0, -1.0), (0.95, 0.75), (-0.95, 0.75)),
    'diamond': ((0.0, -1.0), (1.0, 0.0), (0.0, 1.0), (-1.0, 0.0)),
    'cross': ((-_ARM, -1), (_ARM, -1), (_ARM, -_ARM), (1, -_ARM), (1, _ARM),
              (_ARM, _ARM), (_ARM, 1), (-_ARM, 1), (-_ARM, _ARM), (-1, _ARM),
              (-1, -_ARM), (-_ARM, -_ARM)),
    'star': _star(),
}


def _translate(pixels, dx, dy):
    """Shift an image by whole pixels, filling the uncovered border black.

    Args:
        pixels (ndarray): (H, W, 3) uint8 image.
        dx (int): Shift to the right (negative: left).
        dy (int): Shift down (negative: up).
    """
    height, width = pixels.shape[:2]
    out = np.zeros_like(pixels)
    out[max(dy, 0):height + min(dy, 0), max(dx, 0):width + min(dx, 0)] = \
        pixels[max(-dy, 0):height - max(dy, 0), max(-dx, 0):width - max(dx, 0)]
    return out


def draw_frame(frame, size):
    """Pixels of one frame.

    Args:
        frame (synthetic_scenes.Frame): What to draw.
        size (int): Side of the square frame in pixels.

    Returns:
        ndarray: (size, size, 3) uint8 RGB.
    """
    if frame.distractor == 'noise':
        return np.random.default_rng(frame.noise_seed).integers(
            0, 256, (size, size, 3), dtype=np.uint8)
    if frame.distractor == 'blank':
        return np.zeros((size, size, 3), np.uint8)
    image = Image.new('RGB', (size, size), BACKGROUND)
    draw = ImageDraw.Draw(image)
    radius = RADIUS * size
    for sprite in frame.sprites:
        cx, cy, fill = sprite.x * size, sprite.y * size, PALETTE[sprite.colour]
        if sprite.shape == 'circle':
            draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius),
                         fill=fill)
        else:
            draw.polygon([(cx + u * radius, cy + v * radius)
                          for u, v in POLYGONS[sprite.shape]], fill=fill)
    pixels = np.array(image)
    if frame.distractor == 'shake':
        dx, dy = (round(s * size) for s in frame.shift)
        pixels = _translate(pixels, dx, dy)
    return pixels


def render_clip(scene, size):
    """Pixels of every frame of a clip.

    Args:
        scene (synthetic_scenes.Scene): The clip.
        size (int): Side of the square frames in pixels.

    Returns:
        ndarray: (T, size, size, 3) uint8 RGB.
    """
    return np.stack([draw_frame(frame, size) for frame in scene.frames])


def write_video(path, scene, size, fps):
    """Render ``scene`` and encode it to an mp4 file.

    Args:
        path (str | Path): Output file (its folder must exist).
        scene (synthetic_scenes.Scene): The clip.
        size (int): Side of the square frames in pixels (even).
        fps (int): Frame rate stored in the file.
    """
    with av.open(str(path), mode='w') as container:
        stream = container.add_stream('mpeg4', rate=fps)
        stream.width = stream.height = size
        stream.pix_fmt = 'yuv420p'
        stream.bit_rate = BITS_PER_PIXEL * size * size * fps
        stream.codec_context.max_b_frames = 0
        stream.codec_context.thread_count = 1
        for pixels in render_clip(scene, size):
            frame = av.VideoFrame.from_ndarray(pixels, format='rgb24')
            container.mux(stream.encode(frame))
        container.mux(stream.encode(None))


def write_image(path, frame, size):
    """Render a still and save it as JPEG.

    Args:
        path (str | Path): Output file (its folder must exist).
        frame (synthetic_scenes.Frame): What to draw.
        size (int): Side of the square image in pixels.
    """
    Image.fromarray(draw_frame(frame, size)).save(
        str(path), format='JPEG', quality=JPEG_QUALITY)


if __name__ == '__main__':
    sys.exit('synthetic_render.py is a module of make_synthetic.py (it '
             'draws and encodes the clips), not a command: run python '
             'tools/data/make_synthetic.py --help')
