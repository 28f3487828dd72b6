# The dataloader settings of runs on the paper's data (GPUs): 8 persistent
# workers per process with pinned memory, mmengine's DefaultSampler
# (shuffled for training). The dataset files inherit them through
# msrvtt_ret.py and add their batch sizes and datasets.
train_dataloader = dict(
    num_workers=8, persistent_workers=True, pin_memory=True,
    sampler=dict(type='DefaultSampler', shuffle=True))
val_dataloader = dict(
    num_workers=8, persistent_workers=True, pin_memory=True,
    sampler=dict(type='DefaultSampler', shuffle=False))
test_dataloader = val_dataloader
