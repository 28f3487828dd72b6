# A short CPU schedule for the tiny models on the synthetic corpus: AdamW
# (synthetic_optimizer.py), warm-up for 1 epoch, cosine decay; validation at
# the end (mmengine also validates after the last epoch of a shorter run).
_base_ = ['./synthetic_optimizer.py']

# The run's length; the config loader writes it into train_cfg (a config
# variable: --cfg-options max_epochs=N).
max_epochs = 40

# The last scheduler has no `end`: it ends with the run, however its length
# is set (max_epochs=N or train_cfg.max_epochs=N in --cfg-options).
param_scheduler = [
    dict(type='LinearLR', start_factor=0.01, by_epoch=True, begin=0, end=1,
         convert_to_iter_based=True),
    dict(type='CosineAnnealingLR', eta_min=1e-5, by_epoch=True, begin=1,
         convert_to_iter_based=True),
]
train_cfg = dict(by_epoch=True, val_interval=40)
