# The paper's 5M pre-training corpus (Sec. 3.4): WebVid-2M video-text pairs
# and CC3M image-text pairs (pretrain_corpora.py), every pair visited once
# per epoch. Images are one-frame clips. CorpusBatchSampler draws each batch
# from one corpus, so a multi-frame setting (WebVid K=4, images K=1) still
# stacks; see its docstring. Validation: zero-shot retrieval on MSRVTT 1K-A.
#
# Validation, loaders and the config variables num_frames (K, 1),
# num_test_frames and img_size are msrvtt_ret.py's (its data_root is the
# validation set's: each corpus names its own); media_format, another
# config variable (docs/design.md), reaches every corpus.
_base_ = ['./msrvtt_ret.py', './pretrain_corpora.py']

# Training media: 'loose' files under data_prefix, or 'shards': the tar
# shards tools/data/pack_shards.py writes to <data_root>/shards/<annotation
# file name>/ (--cfg-options media_format=shards).
media_format = 'loose'  # or 'shards'

# 128 clips per step in total (paper Table 12), split over the processes by
# SMAUGRunner.
train_dataloader = dict(
    total_batch_size=128,
    batch_sampler=dict(type='CorpusBatchSampler', drop_last=True),
    dataset=dict(
        _delete_=True,
        type='ConcatDataset',
        datasets={{_base_.corpora_5m}}))
