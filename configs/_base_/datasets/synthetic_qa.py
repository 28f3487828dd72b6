# Open-ended QA on the synthetic corpus: questions about its clips (shape,
# colour, action) with the corpus's answer list. The corpus has no val
# split; validation uses the test questions. Augmentation as in
# synthetic_pretrain.py (no flip: questions ask about directions).
#
# A config that inherits this file and changes a frame count or the frame
# size rebuilds the pipeline using it and passes it on (see msrvtt_ret.py).
# _base_ comes before the import (see smaug/datasets/pipeline_configs.py)
_base_ = []
from smaug.datasets import pipeline_configs as pipelines  # noqa: E402
from smaug.datasets import loader_configs as loaders  # noqa: E402

num_frames = 4
num_test_frames = 8
img_size = 64
data_root = 'data/synthetic'
answer_list_file = 'annotations/qa_answer_list.json'

train_pipeline = pipelines.video_train(num_frames, img_size, 'synthetic',
                                       text_keys=('question', ))
test_pipeline = pipelines.video_test(num_test_frames, img_size, 'synthetic',
                                     text_keys=('question', ))

train_dataloader = loaders.dataloader(
    dict(type='VideoQADataset', data_root=data_root,
         ann_file='annotations/qa_train.json',
         answer_list_file=answer_list_file, pipeline=train_pipeline),
    batch_size=8, shuffle=True, style='synthetic')
val_dataloader = loaders.dataloader(
    dict(train_dataloader['dataset'], ann_file='annotations/qa_test.json',
         pipeline=test_pipeline, test_mode=True),
    batch_size=8, shuffle=False, style='synthetic')
test_dataloader = val_dataloader
