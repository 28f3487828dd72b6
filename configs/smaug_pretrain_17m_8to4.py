# SMAUG multi-frame pre-training on the 17M corpus with 8 frames per clip,
# 4 of them selected (paper Table 6 "8->4", Table 9 "#Frame 4").
#   tools/dist_train.sh configs/smaug_pretrain_17m_8to4.py 4
_base_ = ['./smaug_pretrain_17m_4frame.py']

num_frames = 8
model = dict(num_selected_frames=4)

# The paper's row for this pre-training (measured after fine-tuning on
# MSRVTT with configs/smaug_ret_msrvtt.py) and its evaluation protocol; a
# test of this config itself is zero-shot.
paper_reference = dict(
    benchmark='msrvtt_ret',
    table='Table 9',
    row='SMAUG, 17M corpus, 4 of 8 frames, after MSRVTT fine-tuning',
    metrics={
        'retrieval/t2v/R@1': 45.1,
        'retrieval/t2v/R@5': 71.2,
        'retrieval/t2v/R@10': 79.6})
