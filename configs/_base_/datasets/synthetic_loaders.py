# The dataloader settings of CPU runs on the synthetic corpus: 2 persistent
# workers, mmengine's DefaultSampler (shuffled for training). The synthetic
# dataset files inherit them through synthetic_ret.py.
train_dataloader = dict(
    num_workers=2, persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True))
val_dataloader = dict(
    num_workers=2, persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False))
test_dataloader = val_dataloader
