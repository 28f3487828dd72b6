# Paper Table 10: MSRVTT retrieval fine-tuning at 336x336 frames (21x21
# patches): smaug_5m_ret_msrvtt_288px.py at this frame size.
#   tools/dist_train.sh configs/ablations/table10_resolution/smaug_5m_ret_msrvtt_336px.py 4
_base_ = ['./smaug_5m_ret_msrvtt_288px.py']

img_size = 336

paper_reference = dict(
    row='336x336 frames, 5M corpus, 1 frame',
    metrics={
        'retrieval/t2v/R@1': 42.5,
        'retrieval/t2v/R@5': 67.8,
        'retrieval/t2v/R@10': 77.8})
