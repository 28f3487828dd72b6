# The data of the Table 7 study (tools/analysis/table7_study.py): the
# synthetic corpus at 96 px, split by the study into parts that never share
# a clip or an image (annotations/table7_*.json): stage 0 (the stand-in for
# CLIP's and BERT's data), stage-1 pre-training (this file's training set),
# retrieval fine-tuning, validation (300 held-out clips, for the curves) and
# test (500 held-out clips). Every part is read from frame-mode shards
# (tools/data/pack_shards.py --media frames --num-frames 16: the 16 frames of
# each clip as JPEG), so the dataloader workers decode no video; the
# training pipeline samples its 4 frames from them as it would from the file.
# _base_ comes before the imports (see smaug/datasets/pipeline_configs.py)
_base_ = []
from smaug.datasets import loader_configs as loaders  # noqa: E402
from smaug.datasets import pipeline_configs as pipelines  # noqa: E402

num_frames = 4
num_test_frames = 4
img_size = 96
data_root = 'data/synthetic_table7'
media_format = 'shards'  # or 'loose'

video_train_pipeline = pipelines.video_train(num_frames, img_size,
                                             'synthetic')
image_train_pipeline = pipelines.image_train(img_size, 'synthetic')
video_test_pipeline = pipelines.video_test(num_test_frames, img_size,
                                           'synthetic')

video_train = dict(type='VideoTextPretrainDataset', data_root=data_root,
                   ann_file='annotations/table7_stage1_video.json',
                   media_format=media_format, pipeline=video_train_pipeline)
image_train = dict(video_train,
                   ann_file='annotations/table7_stage1_image.json',
                   pipeline=image_train_pipeline)
train_dataloader = loaders.dataloader(
    dict(type='ConcatDataset', datasets=[video_train, image_train]),
    batch_size=16, shuffle=True, style='synthetic',
    batch_sampler=dict(type='CorpusBatchSampler', drop_last=True))
val_dataloader = loaders.dataloader(
    dict(video_train, type='VideoRetrievalDataset',
         ann_file='annotations/table7_val.json',
         pipeline=video_test_pipeline, test_mode=True),
    batch_size=16, shuffle=False, style='synthetic')
test_dataloader = dict(
    val_dataloader,
    dataset=dict(val_dataloader['dataset'],
                 ann_file='annotations/table7_test.json'))
