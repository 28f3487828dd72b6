# The paper's 5M pre-training corpus (Sec. 3.4): WebVid-2M video-text pairs
# and CC3M image-text pairs, every pair visited once per epoch. Images are
# one-frame clips. CorpusBatchSampler draws each batch from one corpus, so a
# multi-frame setting (WebVid K=4, images K=1) still stacks; see its
# docstring. Validation: zero-shot retrieval on MSRVTT 1K-A. Layout and
# preparation: data/README.md.
#
# Frame counts are variables, but mmengine evaluates this file before a
# config that inherits it: to change one, redefine the variable *and* what
# uses it, e.g. for 4 training frames
#   num_frames = 4
#   video_train_pipeline = [...]   # as below, with num_frames
#   webvid_train = dict(...)       # as below
#   train_dataloader = dict(dataset=dict(
#       datasets=[webvid_train, {{_base_.cc3m_train}}]))
num_frames = 1  # training frames per video clip (K)
num_test_frames = 12  # frames per test video
img_size = 224
# Training media: 'loose' files under data_prefix, or 'shards': the tar
# shards tools/data/pack_shards.py writes to <data_root>/shards/<annotation
# file name>/ (--cfg-options media_format=shards).
media_format = 'loose'  # or 'shards'

video_train_pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleClipFrames', num_frames=num_frames),
    dict(type='DecordDecode'),
    dict(type='ClipRandomResizedCrop', size=img_size, scale=(0.5, 1.0)),
    dict(type='ClipFlip', prob=0.5),
    dict(type='CleanText'),
    dict(type='PackVideoTextInputs'),
]
image_train_pipeline = [
    dict(type='LoadImageAsClip'),
    dict(type='ClipRandomResizedCrop', size=img_size, scale=(0.5, 1.0)),
    dict(type='ClipFlip', prob=0.5),
    dict(type='CleanText'),
    dict(type='PackVideoTextInputs'),
]
# Test frames are resized to img_size x img_size (the paper's "resize the
# video frames as 224x224", as Singularity does), not cropped.
video_test_pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleClipFrames', num_frames=num_test_frames, test_mode=True),
    dict(type='DecordDecode'),
    dict(type='ClipResize', scale=(img_size, img_size),
         interpolation='bicubic'),
    dict(type='CleanText'),
    dict(type='PackVideoTextInputs'),
]

webvid_train = dict(
    type='VideoTextPretrainDataset',
    data_root='data/webvid',
    data_prefix=dict(video='videos'),
    ann_file='annotations/webvid_train.json',
    media_format=media_format,
    pipeline=video_train_pipeline)
cc3m_train = dict(
    type='VideoTextPretrainDataset',
    data_root='data/cc3m',
    data_prefix=dict(image='images'),
    ann_file='annotations/cc3m_train.json',
    media_format=media_format,
    pipeline=image_train_pipeline)

train_dataloader = dict(
    batch_size=32,
    num_workers=8,
    persistent_workers=True,
    pin_memory=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    batch_sampler=dict(type='CorpusBatchSampler', drop_last=True),
    dataset=dict(type='ConcatDataset', datasets=[webvid_train, cc3m_train]))

val_dataloader = dict(
    batch_size=16,
    num_workers=8,
    persistent_workers=True,
    pin_memory=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='VideoRetrievalDataset',
        data_root='data/msrvtt',
        data_prefix=dict(video='videos'),
        ann_file='annotations/ret_test_1ka.json',
        pipeline=video_test_pipeline,
        test_mode=True))
test_dataloader = val_dataloader
