"""read_clip: the config's test pipeline, or the standard test transforms
for a config without datasets."""
import torch
from mmengine.config import Config
from search_setup import DEMO_CONFIG

from smaug.apis import (VideoClipFiles, inference_pipeline_cfg, read_clip,
                        standard_test_pipeline_cfg)
from smaug.apis.video_reading import DEFAULT_NUM_FRAMES


def test_read_clip_is_the_clip_of_the_test_pipeline(video_paths):
    pipeline = inference_pipeline_cfg(Config.fromfile(DEMO_CONFIG))
    clip = read_clip(video_paths[0], pipeline)
    assert clip.shape == (8, 3, 64, 64) and clip.dtype == torch.uint8
    _, from_dataset, error = VideoClipFiles(video_paths[:1], pipeline)[0]
    assert error is None and (from_dataset == clip).all()


def test_config_without_datasets_reads_standard_test_frames(tmp_path,
                                                            video_paths):
    path = tmp_path / 'backbone_only.py'
    path.write_text("model = dict(type='SMAUGPretrain')\n")
    cfg = Config.fromfile(str(path))
    pipeline = inference_pipeline_cfg(cfg, default_size=32)
    assert pipeline == standard_test_pipeline_cfg(DEFAULT_NUM_FRAMES, 32)
    clip = read_clip(video_paths[0], inference_pipeline_cfg(
        cfg, num_frames=3, default_size=32))
    assert clip.shape == (3, 3, 32, 32)
