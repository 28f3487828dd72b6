# ActivityNet Captions paragraph-to-video retrieval (paper Sec. 4.1): as
# didemo_ret.py (a video's sentences joined into one paragraph, the same
# training file name), on data/anet; evaluated on val_1 as in the paper, with
# 32 test frames (Table 13).
_base_ = ['./didemo_ret.py']

num_test_frames = 32
data_root = 'data/anet'

val_dataloader = dict(
    batch_size=8, dataset=dict(ann_file='annotations/ret_val1.json'))
test_dataloader = val_dataloader
