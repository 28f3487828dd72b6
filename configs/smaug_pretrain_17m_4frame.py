# SMAUG multi-frame pre-training on the 17M corpus (paper Tables 6, 9): the
# recipe of configs/smaug_pretrain_5m_4frame.py (4 frames, 4->2 selection,
# 5 epochs from the single-frame model) on the 17M corpus.
#   tools/dist_train.sh configs/smaug_pretrain_17m_4frame.py 4
_base_ = [
    './_base_/models/smaug_vit-b16_bert-base_4to2.py',
    './_base_/datasets/pretrain_17m.py',
    './_base_/schedules/pretrain_5e.py',
    './_base_/pretrain_runtime.py',
]
load_from = 'work_dirs/smaug_pretrain_17m/best_retrieval_mean_recall.pth'

num_frames = 4
train_dataloader = dict(total_batch_size=128)
custom_hooks = [
    dict(type='PretrainVisualizationHook', interval=1000),
    dict(type='GumbelTemperatureHook', start=1.0, end=0.1),
]

# The paper reports this pre-training only with 8->4 frames
# (smaug_pretrain_17m_8to4.py); a test of it is zero-shot on MSRVTT 1K-A.
paper_reference = dict(
    benchmark='msrvtt_ret', table=None, row=None, metrics={})
