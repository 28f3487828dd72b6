# Multiple choice on the synthetic corpus: each held-out clip with its
# caption among four other clips' captions (test only, as MSRVTT-MC).
# Loaders and config variables are synthetic_ret.py's.
_base_ = ['./synthetic_ret.py']

train_dataloader = None  # no training set: test only
val_dataloader = dict(
    dataset=dict(
        type='VideoMCDataset',
        ann_file='annotations/mc_test.json',
        pipeline=[dict(type='VideoTestPipeline', style='synthetic',
                       text_keys=('options', ))]))
test_dataloader = val_dataloader
