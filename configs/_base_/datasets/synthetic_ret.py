# Retrieval on the synthetic corpus: fine-tune on its training clips (one
# item per clip-caption pair), test on the held-out clips, each with several
# captions. For paragraph-to-video retrieval (the DiDeMo/ActivityNet form)
# use ret_paragraph_{train,test}.json with paragraph=True in both datasets.
# Augmentation as in synthetic_pretrain.py (no flip, mild crops).
#
# A config that inherits this file and changes a frame count or the frame
# size rebuilds the pipeline using it and passes it on (see msrvtt_ret.py).
# _base_ comes before the import (see smaug/datasets/pipeline_configs.py)
_base_ = []
from smaug.datasets import pipeline_configs as pipelines  # noqa: E402
from smaug.datasets import loader_configs as loaders  # noqa: E402

num_frames = 4
num_test_frames = 8
img_size = 64
data_root = 'data/synthetic'

train_pipeline = pipelines.video_train(num_frames, img_size, 'synthetic')
test_pipeline = pipelines.video_test(num_test_frames, img_size, 'synthetic')

train_dataloader = loaders.dataloader(
    dict(type='VideoRetrievalDataset', data_root=data_root,
         ann_file='annotations/ret_train.json', pipeline=train_pipeline),
    batch_size=8, shuffle=True, style='synthetic')
val_dataloader = loaders.dataloader(
    dict(train_dataloader['dataset'], ann_file='annotations/ret_test.json',
         pipeline=test_pipeline, test_mode=True),
    batch_size=8, shuffle=False, style='synthetic')
test_dataloader = val_dataloader
