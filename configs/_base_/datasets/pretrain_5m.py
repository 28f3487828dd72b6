# The paper's 5M pre-training corpus (Sec. 3.4): WebVid-2M video-text pairs
# and CC3M image-text pairs, every pair visited once per epoch. Images are
# one-frame clips. CorpusBatchSampler draws each batch from one corpus, so a
# multi-frame setting (WebVid K=4, images K=1) still stacks; see its
# docstring. Validation: zero-shot retrieval on MSRVTT 1K-A. Layout and
# preparation: data/README.md.
#
# num_frames, num_test_frames, img_size and media_format are config
# variables: the config loader writes them into every pipeline, dataset and
# model part that leaves them unset (docs/design.md), so a config inheriting
# this file changes one with one line (num_frames = 4), a command with one
# override (--cfg-options num_frames=4).
num_frames = 1  # training frames per video clip (K)
num_test_frames = 12  # frames per test video
img_size = 224
# Training media: 'loose' files under data_prefix, or 'shards': the tar
# shards tools/data/pack_shards.py writes to <data_root>/shards/<annotation
# file name>/ (--cfg-options media_format=shards).
media_format = 'loose'  # or 'shards'

# The two corpora, named so that pretrain_17m.py lists them again.
webvid_train = dict(
    type='VideoTextPretrainDataset',
    data_root='data/webvid',
    data_prefix=dict(video='videos'),
    ann_file='annotations/webvid_train.json',
    pipeline=[dict(type='VideoTrainPipeline')])
cc3m_train = dict(
    type='VideoTextPretrainDataset',
    data_root='data/cc3m',
    data_prefix=dict(image='images'),
    ann_file='annotations/cc3m_train.json',
    pipeline=[dict(type='ImageTrainPipeline')])

train_dataloader = dict(
    batch_size=32,
    num_workers=8,
    persistent_workers=True,
    pin_memory=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    batch_sampler=dict(type='CorpusBatchSampler', drop_last=True),
    dataset=dict(type='ConcatDataset', datasets=[webvid_train, cc3m_train]))
# Test frames are resized to img_size x img_size (the paper's "resize the
# video frames as 224x224", as Singularity does), not cropped.
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
        pipeline=[dict(type='VideoTestPipeline')],
        test_mode=True))
test_dataloader = val_dataloader
