# SMAUG multi-frame pre-training on the 17M corpus (paper Tables 6, 9): as
# configs/smaug_pretrain_5m_4frame.py (4 frames, 4->2 selection, 5 epochs
# from the single-frame model) on the 17M corpora.
#   tools/dist_train.sh configs/smaug_pretrain_17m_4frame.py 4
_base_ = ['./smaug_pretrain_5m_4frame.py']

load_from = 'work_dirs/smaug_pretrain_17m/best_retrieval_mean_recall.pth'
train_dataloader = dict(dataset=dict(datasets={{_base_.corpora_17m}}))

# The paper reports this pre-training only with 8->4 frames
# (smaug_pretrain_17m_8to4.py); a test of it is zero-shot on MSRVTT 1K-A.
paper_reference = dict(
    _delete_=True, benchmark='msrvtt_ret', table=None, row=None, metrics={})
