# SMAUG pre-training on the 5M corpus (CC3M + WebVid), single frame
# (paper Tables 1-5): 10 epochs, batch 128 in total, AdamW 1e-4.
#   tools/dist_train.sh configs/smaug_pretrain_5m.py 4
_base_ = [
    './_base_/models/smaug_vit-b16_bert-base.py',
    './_base_/datasets/pretrain_5m.py',
    './_base_/schedules/pretrain_10e.py',
    './_base_/pretrain_runtime.py',
]

# 128 clips per step in total, split over the processes by SMAUGRunner.
train_dataloader = dict(total_batch_size=128)

# The paper's evaluation protocol of this config's test (zero-shot on MSRVTT
# 1K-A); its paper rows are those of smaug_ret_msrvtt_zeroshot.py (Table 2)
# and of the ablations.
paper_reference = dict(
    benchmark='msrvtt_ret', table=None, row=None, metrics={})
