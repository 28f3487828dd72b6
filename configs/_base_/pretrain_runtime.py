# What every pre-training config shares beyond model, data and schedule:
# zero-shot retrieval validation every epoch on MSRVTT 1K-A (the datasets'
# val_dataloader) and DiDeMo (paragraph-to-video, test split), the best
# checkpoint kept by MSRVTT mean recall, and figures in TensorBoard.
_base_ = ['./default_runtime.py']

# Extra galleries are overrides of the val dataloader (same pipeline).
didemo_zero_shot = dict(
    dataset=dict(
        data_root='data/didemo',
        ann_file='annotations/ret_test.json',
        paragraph=True))

val_cfg = dict(type='RetrievalValLoop', k=128,
               extra_galleries=dict(didemo=didemo_zero_shot))
test_cfg = dict(type='RetrievalTestLoop', k=128)
val_evaluator = dict(type='RetrievalMetric')
test_evaluator = val_evaluator

default_hooks = dict(
    checkpoint=dict(interval=1, max_keep_ckpts=3,
                    save_best='retrieval/mean_recall', rule='greater'))
