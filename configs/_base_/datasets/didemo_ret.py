# DiDeMo paragraph-to-video retrieval (paper Sec. 4.1): each video's moment
# descriptions are joined into one paragraph (paragraph=True); train, val and
# test splits. Pipelines and frame counts (12 test frames, Table 13) are
# msrvtt_ret.py's.
_base_ = ['./msrvtt_ret.py']

data_root = 'data/didemo'

train_dataloader = dict(
    dataset=dict(ann_file='annotations/ret_train.json', paragraph=True))
val_dataloader = dict(
    dataset=dict(ann_file='annotations/ret_val.json', paragraph=True))
test_dataloader = dict(
    dataset=dict(ann_file='annotations/ret_test.json', paragraph=True))
