# Retrieval on the synthetic corpus: fine-tune on its training clips (one
# item per clip-caption pair), test on the held-out clips, each with several
# captions. For paragraph-to-video retrieval (the DiDeMo/ActivityNet form)
# use ret_paragraph_{train,test}.json with paragraph=True in both datasets.
# Augmentation as in synthetic_pretrain.py (no flip, mild crops).
#
# A config that inherits this file and changes a frame count must also
# redefine the pipeline using it and pass it on (see msrvtt_ret.py).
num_frames = 4
num_test_frames = 8
img_size = 64
data_root = 'data/synthetic'

train_pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleClipFrames', num_frames=num_frames),
    dict(type='DecordDecode'),
    dict(type='ClipRandomResizedCrop', size=img_size, scale=(0.8, 1.0)),
    dict(type='CleanText'),
    dict(type='PackVideoTextInputs'),
]
test_pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleClipFrames', num_frames=num_test_frames, test_mode=True),
    dict(type='DecordDecode'),
    dict(type='ClipResize', scale=(img_size, img_size)),
    dict(type='CleanText'),
    dict(type='PackVideoTextInputs'),
]

train_dataloader = dict(
    batch_size=8,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type='VideoRetrievalDataset',
        data_root=data_root,
        ann_file='annotations/ret_train.json',
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=8,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='VideoRetrievalDataset',
        data_root=data_root,
        ann_file='annotations/ret_test.json',
        pipeline=test_pipeline,
        test_mode=True))
test_dataloader = val_dataloader
