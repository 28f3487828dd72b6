# Paper Table 10: MSRVTT retrieval fine-tuning at 288x288 frames. As the
# 224x224 row (configs/smaug_ret_msrvtt.py fine-tuning the single-frame 5M
# pre-training, configs/smaug_pretrain_5m.py; Appendix D: one frame for
# Tables 10 and 11), with frames of this size in training and test. The
# ViT's position embedding of the 224 checkpoint is interpolated to the
# 18x18 patch grid when it loads (SparseMAEViT).
#   tools/dist_train.sh configs/ablations/table10_resolution/smaug_5m_ret_msrvtt_288px.py 4
#   tools/dist_test.sh configs/ablations/table10_resolution/smaug_5m_ret_msrvtt_288px.py \
#       work_dirs/smaug_5m_ret_msrvtt_288px/best_retrieval_mean_recall.pth 4
_base_ = ['../../smaug_ret_msrvtt.py']

# Every pipeline's frames and the ViT's (the config variable img_size).
img_size = 288
load_from = 'work_dirs/smaug_pretrain_5m/best_retrieval_mean_recall.pth'

paper_reference = dict(
    table='Table 10',
    row='288x288 frames, 5M corpus, 1 frame',
    metrics={
        'retrieval/t2v/R@1': 40.8,
        'retrieval/t2v/R@5': 66.5,
        'retrieval/t2v/R@10': 76.5})
