# Paper Table 7, row 2: + MAE (50% tube masking, MVM), dense tokens, all
# 4 frames.
_base_ = ['../../smaug_pretrain_5m_4frame.py']
model = dict(
    backbone=dict(keep_rate=1.0),
    frame_selector=None,
    num_selected_frames=None)

# The paper's row for this pre-training (measured after fine-tuning on
# MSRVTT with configs/smaug_ret_msrvtt.py) and its evaluation protocol; a
# test of this config itself is zero-shot.
paper_reference = dict(
    _delete_=True,
    benchmark='msrvtt_ret',
    table='Table 7',
    row='MAE, 4 frames, after MSRVTT fine-tuning',
    metrics={
        'retrieval/t2v/R@1': 42.0,
        'retrieval/t2v/R@5': 68.4,
        'retrieval/t2v/R@10': 78.7})
