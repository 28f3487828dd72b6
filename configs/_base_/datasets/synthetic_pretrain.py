# Pre-training on the synthetic corpus (tools/data/make_synthetic.py, `make
# synthetic`): its video-text clips and still images, one corpus per batch
# (CorpusBatchSampler: clips have num_frames frames, images one), validated
# by retrieval on its held-out clips. 64x64 frames for the tiny CPU model.
#
# Augmentation is milder than on real data (style='synthetic'): the
# captions state positions and directions ("moves left"), so there is no
# flip, and crops keep at least 80% of the frame so that no shape leaves the
# picture.
#
# num_frames, num_test_frames, img_size, data_root and media_format are
# config variables, filled into the pipelines, datasets and model parts
# that leave them unset (docs/design.md).
num_frames = 4
num_test_frames = 8
img_size = 64
data_root = 'data/synthetic'
# Training media: 'loose' files under data_prefix, or 'shards': the tar
# shards tools/data/pack_shards.py writes to <data_root>/shards/<annotation
# file name>/ (--cfg-options media_format=shards).
media_format = 'loose'  # or 'shards'

train_dataloader = dict(
    batch_size=8,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    batch_sampler=dict(type='CorpusBatchSampler', drop_last=True),
    dataset=dict(
        type='ConcatDataset',
        datasets=[
            dict(type='VideoTextPretrainDataset',
                 ann_file='annotations/pretrain_video.json',
                 pipeline=[dict(type='VideoTrainPipeline',
                                style='synthetic')]),
            dict(type='VideoTextPretrainDataset',
                 ann_file='annotations/pretrain_image.json',
                 pipeline=[dict(type='ImageTrainPipeline',
                                style='synthetic')]),
        ]))
val_dataloader = dict(
    batch_size=8,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='VideoRetrievalDataset',
        ann_file='annotations/ret_test.json',
        pipeline=[dict(type='VideoTestPipeline', style='synthetic')],
        test_mode=True))
test_dataloader = val_dataloader
