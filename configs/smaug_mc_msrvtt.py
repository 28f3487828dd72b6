# MSRVTT-MC (paper Table 3): the MSRVTT retrieval-fine-tuned model scores
# each video's 5 candidate captions with VTM (frame selection per pair) and
# picks the highest; 12 test frames. Test only:
#   python tools/test.py configs/smaug_mc_msrvtt.py \
#       work_dirs/smaug_ret_msrvtt/best_retrieval_mean_recall.pth
#   tools/dist_test.sh configs/smaug_mc_msrvtt.py \
#       work_dirs/smaug_ret_msrvtt/best_retrieval_mean_recall.pth 4
_base_ = [
    './_base_/models/smaug_retrieval_vit-b16_bert-base.py',
    './_base_/datasets/msrvtt_mc.py',
    './_base_/mc_runtime.py',
]
model = dict(type='SMAUGMultipleChoice')
# The retrieval checkpoint (tools/test.py's CHECKPOINT argument replaces it).
load_from = 'work_dirs/smaug_ret_msrvtt/best_retrieval_mean_recall.pth'

# The paper's row for this config and its evaluation protocol (a test run
# prints them beside its own; smaug/evaluation/paper_protocols.py).
paper_reference = dict(
    benchmark='msrvtt_mc',
    table='Table 3',
    row='SMAUG, 17M corpus, 1 frame',
    metrics={'mc/accuracy': 92.9})
