# ActivityNet Captions paragraph-to-video retrieval (paper Sec. 4.1): a
# video's sentences are joined into one paragraph (paragraph=True); trained
# on train, evaluated on val_1 as in the paper, with 32 test frames (Table
# 13). The training pipeline is msrvtt_ret.py's.
_base_ = ['./msrvtt_ret.py']
from smaug.datasets import pipeline_configs as pipelines  # noqa: E402

num_test_frames = 32
img_size = 224
data_root = 'data/anet'

test_pipeline = pipelines.video_test(num_test_frames, img_size)

train_dataloader = dict(
    dataset=dict(
        data_root=data_root,
        ann_file='annotations/ret_train.json',
        paragraph=True))
val_dataloader = dict(
    batch_size=8,
    dataset=dict(
        data_root=data_root,
        ann_file='annotations/ret_val1.json',
        paragraph=True,
        pipeline=test_pipeline))
test_dataloader = val_dataloader
