# MSRVTT-QA open-ended video question answering (paper Sec. 4.1): train,
# val and test question files and the answer list the answer decoder ranks
# (metainfo['answer_list']). 12 test frames (Table 12). Questions are
# cleaned (lower case, no punctuation); answers are kept verbatim so that
# they match the answer list. Layout and preparation: data/README.md.
# Loaders, frame counts and data root are msrvtt_ret.py's.
_base_ = ['./msrvtt_ret.py']

train_dataloader = dict(
    dataset=dict(
        type='VideoQADataset',
        ann_file='annotations/qa_train.json',
        answer_list_file='annotations/qa_answer_list.json',
        pipeline=[dict(type='VideoTrainPipeline', text_keys=('question', ))]))
val_dataloader = dict(
    dataset=dict(
        train_dataloader['dataset'],
        ann_file='annotations/qa_val.json',
        pipeline=[dict(type='VideoTestPipeline', text_keys=('question', ))]))
test_dataloader = dict(
    dataset=dict(val_dataloader['dataset'],
                 ann_file='annotations/qa_test.json'))
