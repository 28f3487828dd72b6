"""embed_texts / embed_videos: shapes, unit norm, bad files."""
import pytest
import torch
from search_setup import DEMO_CONFIG

from smaug.apis import embed_texts, embed_videos, inference_pipeline_cfg
from smaug.config import load_config
from smaug.datasets.transforms import BadMediaError

CAPTIONS = ['a red circle moves left', 'A blue square!', 'a green triangle']


def test_texts_unit_norm_in_order(model):
    emb = embed_texts(model, CAPTIONS, batch_size=2)
    assert emb.shape == (3, 32) and emb.dtype == torch.float32
    torch.testing.assert_close(emb.norm(dim=1), torch.ones(3))
    alone = embed_texts(model, CAPTIONS[1:2])
    torch.testing.assert_close(emb[1], alone[0], atol=1e-5, rtol=0)
    # cleaned like the datasets' captions: case and punctuation do not count
    cleaned = embed_texts(model, ['a blue square'])
    torch.testing.assert_close(alone, cleaned)


def test_texts_must_be_a_list(model):
    with pytest.raises(ValueError, match='non-empty list'):
        embed_texts(model, 'a red circle')


def test_videos_embeddings_and_tokens(model, video_paths):
    out = embed_videos(model, video_paths[:3], batch_size=2,
                       return_tokens=True)
    assert out['paths'] == video_paths[:3] and out['skipped'] == {}
    assert out['emb'].shape == (3, 32)
    torch.testing.assert_close(out['emb'].norm(dim=1), torch.ones(3))
    # 8 test frames of 64x64 in 8x8 patches: [CLS] + fewer than the 64
    # patch tokens after token sparsification, 64 channels
    num, frames, tokens, channels = out['tokens'].shape
    assert (num, frames, channels) == (3, 8, 64) and 1 < tokens < 1 + 64
    # the same clip in another batch gives the same embedding
    single = embed_videos(model, video_paths[1:2])
    torch.testing.assert_close(single['emb'][0], out['emb'][1], atol=1e-5,
                               rtol=0)


def test_num_frames_override(model, video_paths):
    out = embed_videos(model, video_paths[:1], num_frames=4,
                       return_tokens=True)
    assert out['tokens'].shape[1] == 4


def test_unreadable_video_raises_naming_it(model, video_paths, tmp_path):
    bad = tmp_path / 'broken.mp4'
    bad.write_bytes(b'not a video' * 50)
    with pytest.raises(BadMediaError, match='broken.mp4'):
        embed_videos(model, [video_paths[0], str(bad)])


def test_unreadable_video_skipped_with_warning(model, video_paths, tmp_path):
    bad = tmp_path / 'empty.mp4'
    bad.write_bytes(b'')
    with pytest.warns(UserWarning, match='empty.mp4'):
        out = embed_videos(model, [video_paths[0], str(bad), video_paths[1]],
                           batch_size=2, skip_unreadable=True)
    assert out['paths'] == video_paths[:2]
    assert out['emb'].shape == (2, 32)
    assert set(out['skipped']) == {str(bad)}
    assert 'empty' in out['skipped'][str(bad)]


def test_reading_in_worker_processes(model, video_paths, tmp_path):
    bad = tmp_path / 'gone.mp4'
    bad.write_bytes(b'')
    in_process = embed_videos(model, video_paths[:2])
    with pytest.warns(UserWarning, match='gone.mp4'):
        workers = embed_videos(model, [video_paths[0], str(bad),
                                       video_paths[1]], batch_size=1,
                               skip_unreadable=True, num_workers=2)
    torch.testing.assert_close(workers['emb'], in_process['emb'])


def test_pipeline_from_config_with_frame_override():
    cfg = load_config(DEMO_CONFIG)
    pipeline = inference_pipeline_cfg(cfg, num_frames=3)
    sampler = next(step for step in pipeline
                   if step['type'] == 'SampleClipFrames')
    assert sampler['num_frames'] == 3 and sampler['test_mode']
    # the config itself is untouched
    assert inference_pipeline_cfg(cfg)[1]['num_frames'] == 8


def test_config_without_pipeline_is_named(tmp_path):
    path = tmp_path / 'no_data.py'
    path.write_text("model = dict(type='SMAUGPretrain')\n")
    with pytest.raises(KeyError, match='no_data.py.*pipeline'):
        inference_pipeline_cfg(load_config(path))
