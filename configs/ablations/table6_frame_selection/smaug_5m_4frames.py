# Paper Table 6: 4 frames, no selection (5M corpus); the same setting as
# Table 7's "MAE + VTS" row (masking, token sparsification, all 4 frames),
# for which the paper gives slightly different numbers.
_base_ = ['../../smaug_pretrain_5m_4frame.py']
model = dict(frame_selector=None, num_selected_frames=None)

# The paper's row for this pre-training (measured after fine-tuning on
# MSRVTT with configs/smaug_ret_msrvtt.py) and its evaluation protocol; a
# test of this config itself is zero-shot.
paper_reference = dict(
    _delete_=True,
    benchmark='msrvtt_ret',
    table='Table 6',
    row='4 frames, after MSRVTT fine-tuning',
    metrics={
        'retrieval/t2v/R@1': 41.7,
        'retrieval/t2v/R@5': 68.3,
        'retrieval/t2v/R@10': 78.3},
    same_run_rows=[
        dict(table='Table 7',
             row='MAE + VTS, 4 frames, after MSRVTT fine-tuning',
             metrics={
                 'retrieval/t2v/R@1': 41.6,
                 'retrieval/t2v/R@5': 67.9,
                 'retrieval/t2v/R@10': 78.3})])
