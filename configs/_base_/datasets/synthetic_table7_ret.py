# Retrieval fine-tuning data of the Table 7 study: the captions of the
# study's fine-tuning clips (annotations/table7_finetune.json, one item per
# clip-caption pair, no clip of stage 0 or stage 1), validation and test as
# in synthetic_table7_pretrain.py.
_base_ = ['./synthetic_table7_pretrain.py']

train_dataloader = dict(
    batch_sampler=None,  # one corpus: mmengine's batches
    dataset=dict(
        _delete_=True,
        type='VideoRetrievalDataset',
        ann_file='annotations/table7_finetune.json',
        media_format='shards',
        pipeline=[dict(type='VideoTrainPipeline', style='synthetic')]))
