# Pre-training on the synthetic corpus (tools/data/make_synthetic.py, `make
# synthetic`): its video-text clips and still images, one corpus per batch
# (CorpusBatchSampler: clips have num_frames frames, images one), validated
# by retrieval on its held-out clips. 64x64 frames for the tiny CPU model.
#
# Augmentation is milder than on real data: the captions state positions and
# directions ("moves left"), so there is no flip, and crops keep at least 80%
# of the frame so that no shape leaves the picture.
#
# A config that inherits this file and changes a frame count must also
# redefine the pipeline using it and the datasets (see pretrain_5m.py).
num_frames = 4
num_test_frames = 8
img_size = 64
data_root = 'data/synthetic'
# Training media: 'loose' files under data_prefix, or 'shards': the tar
# shards tools/data/pack_shards.py writes to <data_root>/shards/<annotation
# file name>/ (--cfg-options media_format=shards).
media_format = 'loose'  # or 'shards'

video_train_pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleClipFrames', num_frames=num_frames),
    dict(type='DecordDecode'),
    dict(type='ClipRandomResizedCrop', size=img_size, scale=(0.8, 1.0)),
    dict(type='CleanText'),
    dict(type='PackVideoTextInputs'),
]
image_train_pipeline = [
    dict(type='LoadImageAsClip'),
    dict(type='ClipRandomResizedCrop', size=img_size, scale=(0.8, 1.0)),
    dict(type='CleanText'),
    dict(type='PackVideoTextInputs'),
]
video_test_pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleClipFrames', num_frames=num_test_frames, test_mode=True),
    dict(type='DecordDecode'),
    dict(type='ClipResize', scale=(img_size, img_size)),
    dict(type='CleanText'),
    dict(type='PackVideoTextInputs'),
]

video_train = dict(
    type='VideoTextPretrainDataset',
    data_root=data_root,
    ann_file='annotations/pretrain_video.json',
    media_format=media_format,
    pipeline=video_train_pipeline)
image_train = dict(
    type='VideoTextPretrainDataset',
    data_root=data_root,
    ann_file='annotations/pretrain_image.json',
    media_format=media_format,
    pipeline=image_train_pipeline)

train_dataloader = dict(
    batch_size=8,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    batch_sampler=dict(type='CorpusBatchSampler', drop_last=True),
    dataset=dict(type='ConcatDataset', datasets=[video_train, image_train]))
val_dataloader = dict(
    batch_size=8,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='VideoRetrievalDataset',
        data_root=data_root,
        ann_file='annotations/ret_test.json',
        pipeline=video_test_pipeline,
        test_mode=True))
test_dataloader = val_dataloader
