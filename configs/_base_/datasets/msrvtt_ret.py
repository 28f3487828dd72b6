# MSRVTT text-to-video retrieval (paper Sec. 4.1): fine-tune on the 7K
# training videos (one item per video-caption pair), test on the 1K-A split
# (JSFusion; one caption per video). Layout and preparation: data/README.md.
#
# Frames: num_frames for training (as in pre-training), num_test_frames = 12
# at test (Table 13). A config that inherits this file and changes a frame
# count must also redefine the pipeline using it and pass it on, e.g.
#   num_frames = 4
#   train_pipeline = [...]   # as below
#   train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
num_frames = 1
num_test_frames = 12
img_size = 224
data_root = 'data/msrvtt'

train_pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleClipFrames', num_frames=num_frames),
    dict(type='DecordDecode'),
    dict(type='ClipRandomResizedCrop', size=img_size, scale=(0.5, 1.0)),
    dict(type='ClipFlip', prob=0.5),
    dict(type='CleanText'),
    dict(type='PackVideoTextInputs'),
]
# resized to img_size x img_size, as the paper says (no crop)
test_pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleClipFrames', num_frames=num_test_frames, test_mode=True),
    dict(type='DecordDecode'),
    dict(type='ClipResize', scale=(img_size, img_size),
         interpolation='bicubic'),
    dict(type='CleanText'),
    dict(type='PackVideoTextInputs'),
]

train_dataloader = dict(
    batch_size=32,
    num_workers=8,
    persistent_workers=True,
    pin_memory=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type='VideoRetrievalDataset',
        data_root=data_root,
        data_prefix=dict(video='videos'),
        ann_file='annotations/ret_train_7k.json',
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=16,
    num_workers=8,
    persistent_workers=True,
    pin_memory=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='VideoRetrievalDataset',
        data_root=data_root,
        data_prefix=dict(video='videos'),
        ann_file='annotations/ret_test_1ka.json',
        pipeline=test_pipeline,
        test_mode=True))
test_dataloader = val_dataloader
