# Paper Table 6: select 1 of 4 frames (5M corpus).
_base_ = ['../../smaug_pretrain_5m_4frame.py']
model = dict(num_selected_frames=1)

# The paper's row for this pre-training (measured after fine-tuning on
# MSRVTT with configs/smaug_ret_msrvtt.py) and its evaluation protocol; a
# test of this config itself is zero-shot.
paper_reference = dict(
    _delete_=True,
    benchmark='msrvtt_ret',
    table='Table 6',
    row='4->1 frames, after MSRVTT fine-tuning',
    metrics={
        'retrieval/t2v/R@1': 40.6,
        'retrieval/t2v/R@5': 67.6,
        'retrieval/t2v/R@10': 77.5})
