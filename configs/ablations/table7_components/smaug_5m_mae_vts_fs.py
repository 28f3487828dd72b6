# Paper Table 7, row 4: + MAE + VTS + frame selection 4->2: full SMAUG.
_base_ = ['../../smaug_pretrain_5m_4frame.py']

# The paper's row for this pre-training (measured after fine-tuning on
# MSRVTT with configs/smaug_ret_msrvtt.py) and its evaluation protocol; a
# test of this config itself is zero-shot.
paper_reference = dict(
    benchmark='msrvtt_ret',
    table='Table 7',
    row='MAE + VTS + FS (4->2), after MSRVTT fine-tuning',
    metrics={
        'retrieval/t2v/R@1': 41.2,
        'retrieval/t2v/R@5': 67.8,
        'retrieval/t2v/R@10': 77.9})
