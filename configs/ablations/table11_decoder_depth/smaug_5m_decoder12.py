# Paper Table 11: MAE decoder with 12 Transformer block(s) (5M corpus,
# single frame).
_base_ = ['../../smaug_pretrain_5m.py']
model = dict(mvm_head=dict(depth=12))

# The paper's row for this pre-training (measured after fine-tuning on
# MSRVTT with configs/smaug_ret_msrvtt.py) and its evaluation protocol; a
# test of this config itself is zero-shot.
paper_reference = dict(
    _delete_=True,
    benchmark='msrvtt_ret',
    table='Table 11',
    row='decoder depth 12, after MSRVTT fine-tuning',
    metrics={
        'retrieval/t2v/R@1': 40.4,
        'retrieval/t2v/R@5': 66.4,
        'retrieval/t2v/R@10': 76.3})
