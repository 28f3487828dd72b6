# Retrieval evaluation shared by the fine-tuning and zero-shot configs: the
# whole gallery embedded once, VTC ranking, VTM re-scoring of the top 128 in
# both directions; the best checkpoint kept by mean recall.
_base_ = ['./default_runtime.py']

val_cfg = dict(type='RetrievalValLoop', k=128)
test_cfg = dict(type='RetrievalTestLoop', k=128)
val_evaluator = dict(type='RetrievalMetric')
test_evaluator = val_evaluator

default_hooks = dict(
    checkpoint=dict(interval=1, max_keep_ckpts=2,
                    save_best='retrieval/mean_recall', rule='greater'))
