# Text-to-video retrieval fine-tuning on MSRVTT (7K train, 1K-A test; paper
# Table 1, 13): 5 epochs, lr 1e-5, batch 32, 12 test frames.
#   tools/dist_train.sh configs/smaug_ret_msrvtt.py 4 \
#       --cfg-options load_from=work_dirs/smaug_pretrain_17m/best_retrieval_mean_recall.pth
#   tools/dist_test.sh configs/smaug_ret_msrvtt.py work_dirs/smaug_ret_msrvtt/best_retrieval_mean_recall.pth 4
_base_ = [
    './_base_/models/smaug_retrieval_vit-b16_bert-base.py',
    './_base_/datasets/msrvtt_ret.py',
    './_base_/schedules/finetune_ret_5e.py',
    './_base_/retrieval_runtime.py',
]
load_from = 'work_dirs/smaug_pretrain_17m/best_retrieval_mean_recall.pth'

# The paper's row for this config and its evaluation protocol (a test run
# prints them beside its own; smaug/evaluation/paper_protocols.py).
paper_reference = dict(
    benchmark='msrvtt_ret',
    table='Table 1',
    row='SMAUG, 17M corpus, 1 frame, fine-tuned',
    metrics={
        'retrieval/t2v/R@1': 44.0,
        'retrieval/t2v/R@5': 70.4,
        'retrieval/t2v/R@10': 78.8})
