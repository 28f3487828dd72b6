# Open-ended video QA on MSRVTT-QA (paper Table 3, 12): fine-tune a
# pre-trained SMAUG with an answer decoder, 10 epochs, lr 1e-5 (warm-up 0.5
# epoch, cosine to 1e-6), batch 32, 1 training frame, 12 test frames; test
# by ranking the answer list.
#   tools/dist_train.sh configs/smaug_qa_msrvtt.py 4 --cfg-options \
#       load_from=work_dirs/smaug_pretrain_17m/best_retrieval_mean_recall.pth
#   tools/dist_test.sh configs/smaug_qa_msrvtt.py \
#       work_dirs/smaug_qa_msrvtt/best_qa_accuracy.pth 4
_base_ = [
    './_base_/models/smaug_qa_vit-b16_bert-base.py',
    './_base_/datasets/msrvtt_qa.py',
    './_base_/schedules/finetune_qa_10e.py',
    './_base_/qa_runtime.py',
]
# A pre-training checkpoint: Q_m's layers initialise the answer decoder.
load_from = 'work_dirs/smaug_pretrain_17m/best_retrieval_mean_recall.pth'

# The paper's row for this config and its evaluation protocol (a test run
# prints them beside its own; smaug/evaluation/paper_protocols.py).
paper_reference = dict(
    benchmark='msrvtt_qa',
    table='Table 3',
    row='SMAUG, 17M corpus, 1 frame',
    metrics={'qa/accuracy': 44.5})
