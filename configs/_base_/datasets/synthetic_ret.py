# Retrieval on the synthetic corpus: fine-tune on its training clips (one
# item per clip-caption pair), test on the held-out clips, each with several
# captions. For paragraph-to-video retrieval (the DiDeMo/ActivityNet form)
# use ret_paragraph_{train,test}.json with paragraph=True in both datasets.
# The other synthetic dataset files start from this one.
#
# Augmentation is milder than on real data (style='synthetic'): the
# captions state positions and directions ("moves left"), so there is no
# flip, and crops keep at least 80% of the frame so that no shape leaves the
# picture. 64x64 frames for the tiny CPU model.
#
# num_frames, num_test_frames, img_size and data_root are config variables,
# filled into the pipelines, datasets and model parts that leave them unset
# (docs/design.md).
_base_ = ['./synthetic_loaders.py']

num_frames = 4
num_test_frames = 8
img_size = 64
data_root = 'data/synthetic'

train_dataloader = dict(
    batch_size=8,
    dataset=dict(
        type='VideoRetrievalDataset',
        ann_file='annotations/ret_train.json',
        pipeline=[dict(type='VideoTrainPipeline', style='synthetic')]))
val_dataloader = dict(
    batch_size=8,
    dataset=dict(
        train_dataloader['dataset'],
        ann_file='annotations/ret_test.json',
        pipeline=[dict(type='VideoTestPipeline', style='synthetic')],
        test_mode=True))
test_dataloader = val_dataloader
