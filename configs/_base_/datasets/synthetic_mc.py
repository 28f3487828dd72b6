# Multiple choice on the synthetic corpus: each held-out clip with its
# caption among four other clips' captions (test only, as MSRVTT-MC).
# _base_ comes before the import (see smaug/datasets/pipeline_configs.py)
_base_ = []
from smaug.datasets import pipeline_configs as pipelines  # noqa: E402

num_test_frames = 8
img_size = 64

test_pipeline = pipelines.video_test(num_test_frames, img_size, 'synthetic',
                                     text_keys=('options', ))

val_dataloader = dict(
    batch_size=8,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='VideoMCDataset',
        data_root='data/synthetic',
        ann_file='annotations/mc_test.json',
        pipeline=test_pipeline,
        test_mode=True))
test_dataloader = val_dataloader
