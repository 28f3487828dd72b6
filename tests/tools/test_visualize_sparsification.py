"""tools/analysis/visualize_sparsification.py on a tiny random backbone."""

import av
import numpy as np
import torch
from PIL import Image

from smaug.apis import read_clip
from smaug.config import load_config
from smaug.datasets.transforms import VideoTestPipeline

from tool_scripts import load_tool

CONFIG = """model = dict(
    type='SomeAlgorithm',
    backbone=dict(
        type='SparseMAEViT',
        arch=dict(embed_dims=32, num_layers=3, num_heads=2,
                  feedforward_channels=64),
        img_size=64, mask_ratio=0.5, sparse_layers=(1, 3), keep_rate=0.5))
"""


def write_video(path, num_frames=8, size=80):
    """A small mpeg4 clip of random colour frames."""
    with av.open(str(path), mode='w') as container:
        stream = container.add_stream('mpeg4', rate=4)
        stream.width, stream.height, stream.pix_fmt = size, size, 'yuv420p'
        for index in range(num_frames):
            image = np.full((size, size, 3), 20 * index, dtype=np.uint8)
            image[10:30, 10 + 5 * index:30 + 5 * index] = (250, 40, 40)
            frame = av.VideoFrame.from_ndarray(image, format='rgb24')
            container.mux(stream.encode(frame))
        container.mux(stream.encode())


def test_writes_png_for_synthetic_and_video_clips(tmp_path):
    config = tmp_path / 'tiny.py'
    config.write_text(CONFIG)
    tool = load_tool('analysis/visualize_sparsification.py')
    out = tmp_path / 'figs' / 'synthetic.png'
    assert tool.main([str(config), '--out', str(out), '--num-frames',
                      '2']) == 0
    with Image.open(out) as image:
        assert image.format == 'PNG' and image.size[0] > image.size[1]

    video = tmp_path / 'clip.mp4'
    write_video(video)
    out = tmp_path / 'video.png'
    assert tool.main([str(config), '--out', str(out), '--video', str(video),
                      '--num-frames', '3', '--mask-ratio', '0.25']) == 0
    assert out.stat().st_size > 1000


def test_patch_states_and_video_frames(tmp_path):
    tool = load_tool('analysis/visualize_sparsification.py')
    video = tmp_path / 'clip.mp4'
    write_video(video, size=80)
    frames = read_clip(str(video), VideoTestPipeline(4, 64))
    assert frames.shape == (4, 3, 64, 64) and frames.dtype == torch.uint8

    config = tmp_path / 'tiny.py'
    config.write_text(CONFIG)
    from smaug.registry import MODELS
    backbone = MODELS.build(tool.backbone_config(load_config(config)))
    torch.manual_seed(0)
    output = backbone.train()(tool.normalise(frames))
    states = tool.patch_states(output, 16)
    assert states.shape == (4, 2, 16)
    masked = output.mask[0].numpy()
    assert (states[:, :, masked] == tool.MASKED).all()
    # 8 visible -> layer 1 keeps 4 -> layer 3 keeps ceil(0.5 * 5) = 3
    # tokens, one of which may be layer 1's fused token (no patch).
    kept = (states == tool.KEPT).sum(-1)
    assert (kept[:, 0] == 4).all() and (kept[:, 1] <= 3).all()
    assert ((states == tool.FUSED).sum(-1) == 8 - kept).all()
