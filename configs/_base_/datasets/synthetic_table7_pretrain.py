# The data of the Table 7 study (tools/analysis/table7_study.py): the
# synthetic corpus at 96 px, split by the study into parts that never share
# a clip or an image (annotations/table7_*.json): stage 0 (the stand-in for
# CLIP's and BERT's data), stage-1 pre-training (this file's training set),
# retrieval fine-tuning, validation (300 held-out clips, for the curves) and
# test (500 held-out clips). Every part is read from frame-mode shards
# (tools/data/pack_shards.py --media frames --num-frames 16: the 16 frames of
# each clip as JPEG), so the dataloader workers decode no video; the
# training pipeline samples its 4 frames from them as it would from the file.
#
# num_frames, num_test_frames, img_size, data_root and media_format are
# config variables, filled into the pipelines, datasets and model parts that
# leave them unset (docs/design.md); media_format reaches the pre-training
# sets, and the retrieval sets name their shards themselves.
_base_ = ['./synthetic_loaders.py']

num_frames = 4
num_test_frames = 4
img_size = 96
data_root = 'data/synthetic_table7'
media_format = 'shards'  # or 'loose'

train_dataloader = dict(
    batch_size=16,
    batch_sampler=dict(type='CorpusBatchSampler', drop_last=True),
    dataset=dict(
        type='ConcatDataset',
        datasets=[
            dict(type='VideoTextPretrainDataset',
                 ann_file='annotations/table7_stage1_video.json',
                 pipeline=[dict(type='VideoTrainPipeline',
                                style='synthetic')]),
            dict(type='VideoTextPretrainDataset',
                 ann_file='annotations/table7_stage1_image.json',
                 pipeline=[dict(type='ImageTrainPipeline',
                                style='synthetic')]),
        ]))
val_dataloader = dict(
    batch_size=16,
    dataset=dict(
        type='VideoRetrievalDataset',
        ann_file='annotations/table7_val.json',
        media_format='shards',
        pipeline=[dict(type='VideoTestPipeline', style='synthetic')],
        test_mode=True))
test_dataloader = dict(
    val_dataloader,
    dataset=dict(val_dataloader['dataset'],
                 ann_file='annotations/table7_test.json'))
