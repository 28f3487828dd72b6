# MSRVTT text-to-video retrieval (paper Sec. 4.1): fine-tune on the 7K
# training videos (one item per video-caption pair), test on the 1K-A split
# (JSFusion; one caption per video). Layout and preparation: data/README.md.
#
# Frames: num_frames for training (as in pre-training), num_test_frames = 12
# at test (Table 13). mmengine runs this file before a config that inherits
# it, so such a config that changes a frame count or the frame size also
# rebuilds the pipeline and passes it on, e.g.
#   img_size = 288
#   train_pipeline = pipelines.video_train({{_base_.num_frames}}, img_size)
#   train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
# (--cfg-options num_frames=4 needs none of this: smaug's loader sets a
# variable before the entries using it are computed.)
# _base_ comes before the import (see smaug/datasets/pipeline_configs.py)
_base_ = []
from smaug.datasets import pipeline_configs as pipelines  # noqa: E402
from smaug.datasets import loader_configs as loaders  # noqa: E402

num_frames = 1
num_test_frames = 12
img_size = 224
data_root = 'data/msrvtt'

train_pipeline = pipelines.video_train(num_frames, img_size)
# resized to img_size x img_size, as the paper says (no crop)
test_pipeline = pipelines.video_test(num_test_frames, img_size)

train_dataloader = loaders.dataloader(
    dict(type='VideoRetrievalDataset', data_root=data_root,
         data_prefix=dict(video='videos'),
         ann_file='annotations/ret_train_7k.json', pipeline=train_pipeline),
    batch_size=32, shuffle=True)
val_dataloader = loaders.dataloader(
    dict(train_dataloader['dataset'], ann_file='annotations/ret_test_1ka.json',
         pipeline=test_pipeline, test_mode=True),
    batch_size=16, shuffle=False)
test_dataloader = val_dataloader
