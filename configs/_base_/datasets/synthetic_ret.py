# Retrieval on the synthetic corpus: fine-tune on its training clips (one
# item per clip-caption pair), test on the held-out clips, each with several
# captions. For paragraph-to-video retrieval (the DiDeMo/ActivityNet form)
# use ret_paragraph_{train,test}.json with paragraph=True in both datasets.
# Augmentation as in synthetic_pretrain.py (no flip, mild crops); the
# config variables as there.
num_frames = 4
num_test_frames = 8
img_size = 64
data_root = 'data/synthetic'

train_dataloader = dict(
    batch_size=8,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type='VideoRetrievalDataset',
        ann_file='annotations/ret_train.json',
        pipeline=[dict(type='VideoTrainPipeline', style='synthetic')]))
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
