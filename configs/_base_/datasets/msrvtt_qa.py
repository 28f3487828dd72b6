# MSRVTT-QA open-ended video question answering (paper Sec. 4.1): train,
# val and test question files and the answer list the answer decoder ranks
# (metainfo['answer_list']). 12 test frames (Table 12). Questions are
# cleaned (lower case, no punctuation); answers are kept verbatim so that
# they match the answer list. Layout and preparation: data/README.md.
#
# A config that inherits this file and changes a frame count must also
# redefine the pipeline using it and pass it on (see msrvtt_ret.py).
num_frames = 1
num_test_frames = 12
img_size = 224
data_root = 'data/msrvtt'
answer_list_file = 'annotations/qa_answer_list.json'

train_pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleClipFrames', num_frames=num_frames),
    dict(type='DecordDecode'),
    dict(type='ClipRandomResizedCrop', size=img_size, scale=(0.5, 1.0)),
    dict(type='ClipFlip', prob=0.5),
    dict(type='CleanText', keys=('question', )),
    dict(type='PackVideoTextInputs'),
]
test_pipeline = [
    dict(type='DecordInit'),
    dict(type='SampleClipFrames', num_frames=num_test_frames, test_mode=True),
    dict(type='DecordDecode'),
    dict(type='ClipResize', scale=(img_size, img_size),
         interpolation='bicubic'),
    dict(type='CleanText', keys=('question', )),
    dict(type='PackVideoTextInputs'),
]

train_dataloader = dict(
    batch_size=32,
    num_workers=8,
    persistent_workers=True,
    pin_memory=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type='VideoQADataset',
        data_root=data_root,
        data_prefix=dict(video='videos'),
        ann_file='annotations/qa_train.json',
        answer_list_file=answer_list_file,
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=16,
    num_workers=8,
    persistent_workers=True,
    pin_memory=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='VideoQADataset',
        data_root=data_root,
        data_prefix=dict(video='videos'),
        ann_file='annotations/qa_val.json',
        answer_list_file=answer_list_file,
        pipeline=test_pipeline,
        test_mode=True))
test_dataloader = dict(
    batch_size=16,
    num_workers=8,
    persistent_workers=True,
    pin_memory=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='VideoQADataset',
        data_root=data_root,
        data_prefix=dict(video='videos'),
        ann_file='annotations/qa_test.json',
        answer_list_file=answer_list_file,
        pipeline=test_pipeline,
        test_mode=True))
