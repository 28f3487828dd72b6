# MSRVTT-MC multiple-choice test (paper Sec. 4.1, ClipBERT's protocol): for
# each video, 5 candidate captions (options) and the index of the right one;
# the retrieval-fine-tuned model picks the option with the highest VTM
# score. There is no training set, so only val/test dataloaders. 12 test
# frames. Layout and preparation: data/README.md.
num_test_frames = 12
img_size = 224
data_root = 'data/msrvtt'

val_dataloader = dict(
    batch_size=16,
    num_workers=8,
    persistent_workers=True,
    pin_memory=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='VideoMCDataset',
        data_prefix=dict(video='videos'),
        ann_file='annotations/mc_test.json',
        pipeline=[dict(type='VideoTestPipeline', text_keys=('options', ))],
        test_mode=True))
test_dataloader = val_dataloader
