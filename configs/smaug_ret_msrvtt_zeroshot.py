# Zero-shot retrieval (paper Table 2): test a pre-training checkpoint on
# msrvtt directly, without fine-tuning.
#   python tools/test.py configs/smaug_ret_msrvtt_zeroshot.py work_dirs/smaug_pretrain_5m/best_retrieval_mean_recall.pth
_base_ = ['./smaug_ret_msrvtt.py']
# The checkpoint tested (tools/test.py's CHECKPOINT argument replaces it).
load_from = 'work_dirs/smaug_pretrain_5m/best_retrieval_mean_recall.pth'

# The paper's row for this config (a test run prints it beside its own); the
# evaluation protocol is smaug_ret_msrvtt.py's (inherited).
paper_reference = dict(
    table='Table 2',
    row='SMAUG, 5M corpus, 1 frame, zero-shot',
    metrics={
        'retrieval/t2v/R@1': 28.9,
        'retrieval/t2v/R@5': 52.1,
        'retrieval/t2v/R@10': 62.9})
