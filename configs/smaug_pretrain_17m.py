# SMAUG pre-training on the 17M corpus (WebVid, CC3M, CC12M, SBU, VG, COCO),
# single frame (paper Tables 1-3): 10 epochs, batch 128 in total, AdamW 1e-4.
#   tools/dist_train.sh configs/smaug_pretrain_17m.py 4
_base_ = [
    './_base_/models/smaug_vit-b16_bert-base.py',
    './_base_/datasets/pretrain_17m.py',
    './_base_/schedules/pretrain_10e.py',
    './_base_/pretrain_runtime.py',
]

# The paper's evaluation protocol of this config's test (zero-shot on MSRVTT
# 1K-A), a number the paper does not report (its fine-tuned rows are those
# of smaug_ret_*.py).
paper_reference = dict(
    benchmark='msrvtt_ret', table=None, row=None, metrics={})
