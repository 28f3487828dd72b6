# Multiple choice on the synthetic corpus: each held-out clip with its
# caption among four other clips' captions (test only, as MSRVTT-MC).
# _base_ comes before the import (see smaug/datasets/pipeline_configs.py)
_base_ = []
from smaug.datasets import pipeline_configs as pipelines  # noqa: E402
from smaug.datasets import loader_configs as loaders  # noqa: E402

num_test_frames = 8
img_size = 64

test_pipeline = pipelines.video_test(num_test_frames, img_size, 'synthetic',
                                     text_keys=('options', ))

val_dataloader = loaders.dataloader(
    dict(type='VideoMCDataset', data_root='data/synthetic',
         ann_file='annotations/mc_test.json', pipeline=test_pipeline,
         test_mode=True),
    batch_size=8, shuffle=False, style='synthetic')
test_dataloader = val_dataloader
