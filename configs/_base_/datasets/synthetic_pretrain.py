# Pre-training on the synthetic corpus (tools/data/make_synthetic.py, `make
# synthetic`): its video-text clips and still images, one corpus per batch
# (CorpusBatchSampler: clips have num_frames frames, images one), validated
# by retrieval on its held-out clips. Loaders, validation, augmentation and
# config variables are synthetic_ret.py's; media_format, another config
# variable (docs/design.md), reaches both corpora.
_base_ = ['./synthetic_ret.py']

# Training media: 'loose' files under data_prefix, or 'shards': the tar
# shards tools/data/pack_shards.py writes to <data_root>/shards/<annotation
# file name>/ (--cfg-options media_format=shards).
media_format = 'loose'  # or 'shards'

train_dataloader = dict(
    batch_sampler=dict(type='CorpusBatchSampler', drop_last=True),
    dataset=dict(
        _delete_=True,
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
