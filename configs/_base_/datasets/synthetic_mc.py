# Multiple choice on the synthetic corpus: each held-out clip with its
# caption among four other clips' captions (test only, as MSRVTT-MC).
num_test_frames = 8
img_size = 64

test_pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleClipFrames', num_frames=num_test_frames, test_mode=True),
    dict(type='DecordDecode'),
    dict(type='ClipResize', scale=(img_size, img_size)),
    dict(type='CleanText', keys=('options', )),
    dict(type='PackVideoTextInputs'),
]

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
