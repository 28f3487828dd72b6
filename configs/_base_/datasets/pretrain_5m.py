# The paper's 5M pre-training corpus (Sec. 3.4): WebVid-2M video-text pairs
# and CC3M image-text pairs, every pair visited once per epoch. Images are
# one-frame clips. CorpusBatchSampler draws each batch from one corpus, so a
# multi-frame setting (WebVid K=4, images K=1) still stacks; see its
# docstring. Validation: zero-shot retrieval on MSRVTT 1K-A. Layout and
# preparation: data/README.md.
#
# Frame counts are variables, but mmengine evaluates this file before a
# config that inherits it: to change one, redefine the variable *and* what
# uses it (--cfg-options num_frames=4 needs none of this: smaug's loader
# sets a variable before the entries using it are computed), e.g.
#   num_frames = 4
#   video_train_pipeline = pipelines.video_train(num_frames,
#                                                {{_base_.img_size}})
#   webvid_train = pretrain_corpus('webvid', 'video', video_train_pipeline,
#                                  {{_base_.media_format}})
#   train_dataloader = dict(dataset=dict(
#       datasets=[webvid_train, {{_base_.cc3m_train}}]))
# _base_ comes before the imports (see smaug/datasets/pipeline_configs.py)
_base_ = []
from smaug.datasets import loader_configs as loaders  # noqa: E402
from smaug.datasets import pipeline_configs as pipelines  # noqa: E402
from smaug.datasets.corpus_configs import pretrain_corpus  # noqa: E402

num_frames = 1  # training frames per video clip (K)
num_test_frames = 12  # frames per test video
img_size = 224
# Training media: 'loose' files under data_prefix, or 'shards': the tar
# shards tools/data/pack_shards.py writes to <data_root>/shards/<annotation
# file name>/ (--cfg-options media_format=shards).
media_format = 'loose'  # or 'shards'

video_train_pipeline = pipelines.video_train(num_frames, img_size)
image_train_pipeline = pipelines.image_train(img_size)
# Test frames are resized to img_size x img_size (the paper's "resize the
# video frames as 224x224", as Singularity does), not cropped.
video_test_pipeline = pipelines.video_test(num_test_frames, img_size)

webvid_train = pretrain_corpus('webvid', 'video', video_train_pipeline,
                               media_format)
cc3m_train = pretrain_corpus('cc3m', 'image', image_train_pipeline,
                             media_format)

train_dataloader = loaders.dataloader(
    dict(type='ConcatDataset', datasets=[webvid_train, cc3m_train]),
    batch_size=32, shuffle=True,
    batch_sampler=dict(type='CorpusBatchSampler', drop_last=True))
val_dataloader = loaders.dataloader(
    dict(type='VideoRetrievalDataset', data_root='data/msrvtt',
         data_prefix=dict(video='videos'),
         ann_file='annotations/ret_test_1ka.json',
         pipeline=video_test_pipeline, test_mode=True),
    batch_size=16, shuffle=False)
test_dataloader = val_dataloader
