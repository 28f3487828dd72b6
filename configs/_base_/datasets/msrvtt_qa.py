# MSRVTT-QA open-ended video question answering (paper Sec. 4.1): train,
# val and test question files and the answer list the answer decoder ranks
# (metainfo['answer_list']). 12 test frames (Table 12). Questions are
# cleaned (lower case, no punctuation); answers are kept verbatim so that
# they match the answer list. Layout and preparation: data/README.md.
#
# A config that inherits this file and changes a frame count or the frame
# size rebuilds the pipeline using it and passes it on (see msrvtt_ret.py).
# _base_ comes before the import (see smaug/datasets/pipeline_configs.py)
_base_ = []
from smaug.datasets import pipeline_configs as pipelines  # noqa: E402
from smaug.datasets import loader_configs as loaders  # noqa: E402

num_frames = 1
num_test_frames = 12
img_size = 224
data_root = 'data/msrvtt'
answer_list_file = 'annotations/qa_answer_list.json'

train_pipeline = pipelines.video_train(num_frames, img_size,
                                       text_keys=('question', ))
test_pipeline = pipelines.video_test(num_test_frames, img_size,
                                     text_keys=('question', ))

train_dataloader = loaders.dataloader(
    dict(type='VideoQADataset', data_root=data_root,
         data_prefix=dict(video='videos'),
         ann_file='annotations/qa_train.json',
         answer_list_file=answer_list_file, pipeline=train_pipeline),
    batch_size=32, shuffle=True)
val_dataloader = loaders.dataloader(
    dict(train_dataloader['dataset'], ann_file='annotations/qa_val.json',
         pipeline=test_pipeline, test_mode=True),
    batch_size=16, shuffle=False)
test_dataloader = dict(
    val_dataloader,
    dataset=dict(val_dataloader['dataset'],
                 ann_file='annotations/qa_test.json'))
