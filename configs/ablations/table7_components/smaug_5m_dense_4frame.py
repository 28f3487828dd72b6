# Paper Table 7, row 1: dense 4-frame baseline (no MAE masking, no token
# sparsification, no frame selection; no MVM since nothing is masked): the
# MAE row (smaug_5m_mae.py) without its masking.
_base_ = ['./smaug_5m_mae.py']
model = dict(backbone=dict(mask_ratio=0.0), mvm_head=None)

# The paper's row for this pre-training (measured after fine-tuning on
# MSRVTT with configs/smaug_ret_msrvtt.py) and its evaluation protocol; a
# test of this config itself is zero-shot.
paper_reference = dict(
    _delete_=True,
    benchmark='msrvtt_ret',
    table='Table 7',
    row='dense (no MAE, VTS, FS), 4 frames, after MSRVTT fine-tuning',
    metrics={
        'retrieval/t2v/R@1': 42.6,
        'retrieval/t2v/R@5': 68.8,
        'retrieval/t2v/R@10': 79.2})
