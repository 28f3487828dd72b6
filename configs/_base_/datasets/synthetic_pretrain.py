# Pre-training on the synthetic corpus (tools/data/make_synthetic.py, `make
# synthetic`): its video-text clips and still images, one corpus per batch
# (CorpusBatchSampler: clips have num_frames frames, images one), validated
# by retrieval on its held-out clips. 64x64 frames for the tiny CPU model.
#
# Augmentation is milder than on real data: the captions state positions and
# directions ("moves left"), so there is no flip, and crops keep at least 80%
# of the frame so that no shape leaves the picture.
#
# A config that inherits this file and changes a frame count or the frame
# size rebuilds the pipelines using it and the datasets (see pretrain_5m.py).
# _base_ comes before the import (see smaug/datasets/pipeline_configs.py)
_base_ = []
from smaug.datasets import pipeline_configs as pipelines  # noqa: E402
from smaug.datasets import loader_configs as loaders  # noqa: E402

num_frames = 4
num_test_frames = 8
img_size = 64
data_root = 'data/synthetic'
# Training media: 'loose' files under data_prefix, or 'shards': the tar
# shards tools/data/pack_shards.py writes to <data_root>/shards/<annotation
# file name>/ (--cfg-options media_format=shards).
media_format = 'loose'  # or 'shards'

video_train_pipeline = pipelines.video_train(num_frames, img_size,
                                             'synthetic')
image_train_pipeline = pipelines.image_train(img_size, 'synthetic')
video_test_pipeline = pipelines.video_test(num_test_frames, img_size,
                                           'synthetic')

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

train_dataloader = loaders.dataloader(
    dict(type='ConcatDataset', datasets=[video_train, image_train]),
    batch_size=8, shuffle=True, style='synthetic',
    batch_sampler=dict(type='CorpusBatchSampler', drop_last=True))
val_dataloader = loaders.dataloader(
    dict(type='VideoRetrievalDataset', data_root=data_root,
         ann_file='annotations/ret_test.json', pipeline=video_test_pipeline,
         test_mode=True),
    batch_size=8, shuffle=False, style='synthetic')
test_dataloader = val_dataloader
