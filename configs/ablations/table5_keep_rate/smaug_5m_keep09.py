# Paper Table 5: token keep rate 0.9 (5M corpus, single frame).
_base_ = ['../../smaug_pretrain_5m.py']
model = dict(backbone=dict(keep_rate=0.9))

# The paper's row for this pre-training (measured after fine-tuning on
# MSRVTT with configs/smaug_ret_msrvtt.py) and its evaluation protocol; a
# test of this config itself is zero-shot.
paper_reference = dict(
    _delete_=True,
    benchmark='msrvtt_ret',
    table='Table 5',
    row='keep rate 0.9, after MSRVTT fine-tuning',
    metrics={
        'retrieval/t2v/R@1': 39.8,
        'retrieval/t2v/R@5': 65.9,
        'retrieval/t2v/R@10': 76.0})
