# Multiple choice on the synthetic corpus: each held-out clip with its
# caption among four other clips' captions (test only, as MSRVTT-MC).
num_test_frames = 8
img_size = 64
data_root = 'data/synthetic'

val_dataloader = dict(
    batch_size=8,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='VideoMCDataset',
        ann_file='annotations/mc_test.json',
        pipeline=[dict(type='VideoTestPipeline', style='synthetic',
                       text_keys=('options', ))],
        test_mode=True))
test_dataloader = val_dataloader
