# ActivityNet Captions paragraph-to-video retrieval (paper Sec. 4.1): a
# video's sentences are joined into one paragraph (paragraph=True); trained
# on train, evaluated on val_1 as in the paper, with 32 test frames (Table
# 13). The pipelines are msrvtt_ret.py's.
_base_ = ['./msrvtt_ret.py']

num_test_frames = 32
data_root = 'data/anet'

train_dataloader = dict(
    dataset=dict(ann_file='annotations/ret_train.json', paragraph=True))
val_dataloader = dict(
    batch_size=8,
    dataset=dict(ann_file='annotations/ret_val1.json', paragraph=True))
test_dataloader = val_dataloader
