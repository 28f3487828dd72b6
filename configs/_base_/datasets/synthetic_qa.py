# Open-ended QA on the synthetic corpus: questions about its clips (shape,
# colour, action) with the corpus's answer list. The corpus has no val
# split; validation uses the test questions. Loaders, augmentation (no flip:
# questions ask about directions) and config variables are
# synthetic_ret.py's.
_base_ = ['./synthetic_ret.py']

train_dataloader = dict(
    dataset=dict(
        type='VideoQADataset',
        ann_file='annotations/qa_train.json',
        answer_list_file='annotations/qa_answer_list.json',
        pipeline=[dict(type='VideoTrainPipeline', style='synthetic',
                       text_keys=('question', ))]))
val_dataloader = dict(
    dataset=dict(
        train_dataloader['dataset'],
        ann_file='annotations/qa_test.json',
        pipeline=[dict(type='VideoTestPipeline', style='synthetic',
                       text_keys=('question', ))]))
test_dataloader = val_dataloader
