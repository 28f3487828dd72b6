"""read_clip: the steps of the config's test pipeline (its
VideoTestPipeline at the config's frame settings), or a paper-style
VideoTestPipeline for a config without datasets."""
import torch
from search_setup import DEMO_CONFIG

from smaug.apis import VideoClipFiles, inference_pipeline_cfg, read_clip
from smaug.apis.video_reading import DEFAULT_NUM_FRAMES
from smaug.config import load_config
from smaug.datasets.transforms import VideoTestPipeline
from smaug.registry import TRANSFORMS


def test_read_clip_is_the_clip_of_the_test_pipeline(video_paths):
    cfg = load_config(DEMO_CONFIG)
    pipeline = inference_pipeline_cfg(cfg)
    test_set = TRANSFORMS.build(cfg.test_dataloader.dataset.pipeline[0])
    assert pipeline == test_set.step_cfgs
    clip = read_clip(video_paths[0], pipeline)
    assert clip.shape == (8, 3, 64, 64) and clip.dtype == torch.uint8
    _, from_dataset, error = VideoClipFiles(video_paths[:1], pipeline)[0]
    assert error is None and (from_dataset == clip).all()


def test_config_without_datasets_reads_paper_test_frames(tmp_path,
                                                         video_paths):
    path = tmp_path / 'backbone_only.py'
    path.write_text("model = dict(type='SMAUGPretrain')\n")
    cfg = load_config(path)
    pipeline = inference_pipeline_cfg(cfg, default_size=32)
    assert pipeline == VideoTestPipeline(DEFAULT_NUM_FRAMES, 32).step_cfgs
    clip = read_clip(video_paths[0], inference_pipeline_cfg(
        cfg, num_frames=3, default_size=32))
    assert clip.shape == (3, 3, 32, 32)
