# Open-ended QA on the synthetic corpus: questions about its clips (shape,
# colour, action) with the corpus's answer list. The corpus has no val
# split; validation uses the test questions. Augmentation as in
# synthetic_pretrain.py (no flip: questions ask about directions); the
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
        type='VideoQADataset',
        ann_file='annotations/qa_train.json',
        answer_list_file='annotations/qa_answer_list.json',
        pipeline=[dict(type='VideoTrainPipeline', style='synthetic',
                       text_keys=('question', ))]))
val_dataloader = dict(
    batch_size=8,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='VideoQADataset',
        ann_file='annotations/qa_test.json',
        answer_list_file='annotations/qa_answer_list.json',
        pipeline=[dict(type='VideoTestPipeline', style='synthetic',
                       text_keys=('question', ))],
        test_mode=True))
test_dataloader = val_dataloader
