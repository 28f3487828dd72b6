# Open-ended video QA on ActivityNet-QA (paper Table 3, 12): the settings of
# smaug_qa_msrvtt.py (Table 12 is shared by the QA benchmarks).
#   tools/dist_train.sh configs/smaug_qa_anet.py 4 --cfg-options \
#       load_from=work_dirs/smaug_pretrain_17m/best_retrieval_mean_recall.pth
#   tools/dist_test.sh configs/smaug_qa_anet.py \
#       work_dirs/smaug_qa_anet/best_qa_accuracy.pth 4
_base_ = [
    './_base_/models/smaug_qa_vit-b16_bert-base.py',
    './_base_/datasets/anet_qa.py',
    './_base_/schedules/finetune_qa_10e.py',
    './_base_/qa_runtime.py',
]
load_from = 'work_dirs/smaug_pretrain_17m/best_retrieval_mean_recall.pth'

# The paper's row for this config and its evaluation protocol (a test run
# prints them beside its own; smaug/evaluation/paper_protocols.py).
paper_reference = dict(
    benchmark='anet_qa',
    table='Table 3',
    row='SMAUG, 17M corpus, 1 frame',
    metrics={'qa/accuracy': 44.2})
