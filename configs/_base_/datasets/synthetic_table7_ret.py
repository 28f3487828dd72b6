# Retrieval fine-tuning data of the Table 7 study: the captions of the
# study's fine-tuning clips (annotations/table7_finetune.json, one item per
# clip-caption pair, no clip of stage 0 or stage 1), validation and test as
# in synthetic_table7_pretrain.py.
_base_ = ['./synthetic_table7_pretrain.py']
from smaug.datasets import loader_configs as loaders  # noqa: E402

train_dataloader = dict(
    _delete_=True,
    **loaders.dataloader(
        dict(type='VideoRetrievalDataset', data_root={{_base_.data_root}},
             ann_file='annotations/table7_finetune.json',
             media_format={{_base_.media_format}},
             pipeline={{_base_.video_train_pipeline}}),
        batch_size=16, shuffle=True, style='synthetic'))
