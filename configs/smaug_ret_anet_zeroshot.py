# Zero-shot retrieval (paper Table 2): test a pre-training checkpoint on
# anet directly, without fine-tuning.
#   python tools/test.py configs/smaug_ret_anet_zeroshot.py work_dirs/smaug_pretrain_5m/best_retrieval_mean_recall.pth
_base_ = ['./smaug_ret_anet.py']
# The checkpoint tested (tools/test.py's CHECKPOINT argument replaces it).
load_from = 'work_dirs/smaug_pretrain_5m/best_retrieval_mean_recall.pth'

# The paper's protocol of ActivityNet Captions (inherited); Table 2 reports
# no zero-shot number for it, so the fine-tuned row is dropped.
paper_reference = dict(
    table=None, row=None, metrics=dict(_delete_=True))
