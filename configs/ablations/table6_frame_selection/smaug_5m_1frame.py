# Paper Table 6: single frame (5M corpus); the default single-frame model.
_base_ = ['../../smaug_pretrain_5m.py']

# The paper's row for this pre-training (measured after fine-tuning on
# MSRVTT with configs/smaug_ret_msrvtt.py) and its evaluation protocol; a
# test of this config itself is zero-shot.
paper_reference = dict(
    benchmark='msrvtt_ret',
    table='Table 6',
    row='1 frame, after MSRVTT fine-tuning',
    metrics={
        'retrieval/t2v/R@1': 39.3,
        'retrieval/t2v/R@5': 65.4,
        'retrieval/t2v/R@10': 75.6})
