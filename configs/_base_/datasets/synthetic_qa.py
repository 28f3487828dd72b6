# Open-ended QA on the synthetic corpus: questions about its clips (shape,
# colour, action) with the corpus's answer list. The corpus has no val
# split; validation uses the test questions. Augmentation as in
# synthetic_pretrain.py (no flip: questions ask about directions).
#
# A config that inherits this file and changes a frame count must also
# redefine the pipeline using it and pass it on (see msrvtt_ret.py).
num_frames = 4
num_test_frames = 8
img_size = 64
data_root = 'data/synthetic'
answer_list_file = 'annotations/qa_answer_list.json'

train_pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleClipFrames', num_frames=num_frames),
    dict(type='DecordDecode'),
    dict(type='ClipRandomResizedCrop', size=img_size, scale=(0.8, 1.0)),
    dict(type='CleanText', keys=('question', )),
    dict(type='PackVideoTextInputs'),
]
test_pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleClipFrames', num_frames=num_test_frames, test_mode=True),
    dict(type='DecordDecode'),
    dict(type='ClipResize', scale=(img_size, img_size)),
    dict(type='CleanText', keys=('question', )),
    dict(type='PackVideoTextInputs'),
]

train_dataloader = dict(
    batch_size=8,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type='VideoQADataset',
        data_root=data_root,
        ann_file='annotations/qa_train.json',
        answer_list_file=answer_list_file,
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=8,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='VideoQADataset',
        data_root=data_root,
        ann_file='annotations/qa_test.json',
        answer_list_file=answer_list_file,
        pipeline=test_pipeline,
        test_mode=True))
test_dataloader = val_dataloader
