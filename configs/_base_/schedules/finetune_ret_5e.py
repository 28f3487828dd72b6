# Retrieval fine-tuning schedule (paper Table 13): AdamW, lr 1e-5, weight
# decay 0.02, no warm-up, cosine decay to 1e-6, 5 epochs (MSRVTT; DiDeMo and
# ActivityNet configs set 10), batch 32 in total (the data files give
# train_dataloader.total_batch_size: datasets/msrvtt_ret.py). Validation
# every epoch.
# The run's length; the config loader writes it into train_cfg (a config
# variable: --cfg-options max_epochs=N).
max_epochs = 5

optim_wrapper = dict(
    type='AutoAmpOptimWrapper',
    optimizer=dict(type='AdamW', lr=1e-5, betas=(0.9, 0.999),
                   weight_decay=0.02, fused=True),
    # bypass_duplicate: the LM head's decoder weight is the word embedding.
    paramwise_cfg=dict(norm_decay_mult=0.0, bias_decay_mult=0.0,
                       bypass_duplicate=True),
)
# The last scheduler has no `end`: it ends with the run, however its length
# is set (max_epochs=N or train_cfg.max_epochs=N in --cfg-options).
param_scheduler = [
    dict(type='CosineAnnealingLR', eta_min=1e-6, by_epoch=True, begin=0,
         convert_to_iter_based=True),
]
train_cfg = dict(by_epoch=True, val_interval=1)
