# MSRVTT-QA open-ended video question answering (paper Sec. 4.1): train,
# val and test question files and the answer list the answer decoder ranks
# (metainfo['answer_list']). 12 test frames (Table 12). Questions are
# cleaned (lower case, no punctuation); answers are kept verbatim so that
# they match the answer list. Layout and preparation: data/README.md.
#
# The config variables (num_frames, num_test_frames, img_size, data_root)
# fill the pipelines and datasets, as in msrvtt_ret.py.
num_frames = 1
num_test_frames = 12
img_size = 224
data_root = 'data/msrvtt'

train_dataloader = dict(
    batch_size=32,
    num_workers=8,
    persistent_workers=True,
    pin_memory=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type='VideoQADataset',
        data_prefix=dict(video='videos'),
        ann_file='annotations/qa_train.json',
        answer_list_file='annotations/qa_answer_list.json',
        pipeline=[dict(type='VideoTrainPipeline', text_keys=('question', ))]))
val_dataloader = dict(
    batch_size=16,
    num_workers=8,
    persistent_workers=True,
    pin_memory=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='VideoQADataset',
        data_prefix=dict(video='videos'),
        ann_file='annotations/qa_val.json',
        answer_list_file='annotations/qa_answer_list.json',
        pipeline=[dict(type='VideoTestPipeline', text_keys=('question', ))],
        test_mode=True))
test_dataloader = dict(
    val_dataloader, dataset=dict(val_dataloader['dataset'],
                                 ann_file='annotations/qa_test.json'))
