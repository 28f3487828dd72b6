# Paper Table 5: token keep rate 0.6 (5M corpus, single frame).
_base_ = ['../../smaug_pretrain_5m.py']
model = dict(backbone=dict(keep_rate=0.6))

# The paper's row for this pre-training (measured after fine-tuning on
# MSRVTT with configs/smaug_ret_msrvtt.py) and its evaluation protocol; a
# test of this config itself is zero-shot.
paper_reference = dict(
    _delete_=True,
    benchmark='msrvtt_ret',
    table='Table 5',
    row='keep rate 0.6, after MSRVTT fine-tuning',
    metrics={
        'retrieval/t2v/R@1': 37.5,
        'retrieval/t2v/R@5': 64.2,
        'retrieval/t2v/R@10': 74.6})
