"""Thumbnails of search results: the frames the model sees of a video."""
import io

import numpy as np
from PIL import Image

from .video_reading import read_clip

#: Height in pixels of each frame of a thumbnail.
FRAME_HEIGHT = 96
#: Frames per row of a thumbnail.
COLUMNS = 4


def frames_jpeg(path, pipeline, columns=COLUMNS, frame_height=FRAME_HEIGHT):
    """The frames the model sees of a video (read by its test pipeline) in
    reading order, ``columns`` to a row, as one JPEG image.

    Args:
        path (str): The video file.
        pipeline (list[dict] | Compose): The test pipeline
            (:func:`smaug.apis.inference_pipeline_cfg`).
        columns (int): Frames per row (the last row is padded black).
        frame_height (int): Height of each frame in the image; frames keep
            their aspect.

    Returns:
        bytes: The JPEG file.

    Raises:
        BadMediaError: When the file cannot be read.
    """
    frames = read_clip(path, pipeline).permute(0, 2, 3, 1).numpy()
    num, height, width, _ = frames.shape
    columns = min(columns, num)
    rows = -(-num // columns)
    grid = np.zeros((rows * columns, height, width, 3), np.uint8)
    grid[:num] = frames
    grid = grid.reshape(rows, columns, height, width, 3)
    image = Image.fromarray(grid.transpose(0, 2, 1, 3, 4).reshape(
        rows * height, columns * width, 3))
    scale = frame_height / height
    image = image.resize((max(1, round(image.width * scale)),
                          rows * frame_height), Image.Resampling.BICUBIC)
    out = io.BytesIO()
    image.save(out, format='JPEG', quality=85)
    return out.getvalue()
