# MSRVTT-MC multiple-choice test (paper Sec. 4.1, ClipBERT's protocol): for
# each video, 5 candidate captions (options) and the index of the right one;
# the retrieval-fine-tuned model picks the option with the highest VTM
# score. There is no training set, so only val/test dataloaders. 12 test
# frames. Layout and preparation: data/README.md.
# _base_ comes before the import (see smaug/datasets/pipeline_configs.py)
_base_ = []
from smaug.datasets import pipeline_configs as pipelines  # noqa: E402
from smaug.datasets import loader_configs as loaders  # noqa: E402

num_test_frames = 12
img_size = 224

test_pipeline = pipelines.video_test(num_test_frames, img_size,
                                     text_keys=('options', ))

val_dataloader = loaders.dataloader(
    dict(type='VideoMCDataset', data_root='data/msrvtt',
         data_prefix=dict(video='videos'), ann_file='annotations/mc_test.json',
         pipeline=test_pipeline, test_mode=True),
    batch_size=16, shuffle=False)
test_dataloader = val_dataloader
