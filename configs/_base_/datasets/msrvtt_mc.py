# MSRVTT-MC multiple-choice test (paper Sec. 4.1, ClipBERT's protocol): for
# each video, 5 candidate captions (options) and the index of the right one;
# the retrieval-fine-tuned model picks the option with the highest VTM
# score. 12 test frames. Layout and preparation: data/README.md. Loaders
# and frame settings are msrvtt_ret.py's.
_base_ = ['./msrvtt_ret.py']

train_dataloader = None  # no training set: a test-only benchmark
val_dataloader = dict(
    dataset=dict(
        type='VideoMCDataset',
        ann_file='annotations/mc_test.json',
        pipeline=[dict(type='VideoTestPipeline', text_keys=('options', ))]))
test_dataloader = val_dataloader
