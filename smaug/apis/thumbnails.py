"""Thumbnails of search results: the frames the model sees of a video."""
import io

import numpy as np
from PIL import Image

from .video_reading import read_clip

#: Height in pixels of a thumbnail's frames.
THUMBNAIL_HEIGHT = 96


def filmstrip_jpeg(path, pipeline, height=THUMBNAIL_HEIGHT):
    """The frames the model sees of a video (read by its test pipeline),
    left to right, as one JPEG image.

    Args:
        path (str): The video file.
        pipeline (list[dict] | Compose): The test pipeline
            (:func:`smaug.apis.inference_pipeline_cfg`).
        height (int): Height of the image; each frame keeps its aspect.

    Returns:
        bytes: The JPEG file.

    Raises:
        BadMediaError: When the file cannot be read.
    """
    clip = read_clip(path, pipeline)  # (K, 3, H, W) uint8
    strip = np.concatenate(list(clip.permute(0, 2, 3, 1).numpy()), axis=1)
    image = Image.fromarray(strip)
    scale = height / image.height
    image = image.resize((max(1, round(image.width * scale)), height),
                         Image.Resampling.BICUBIC)
    out = io.BytesIO()
    image.save(out, format='JPEG', quality=85)
    return out.getvalue()
