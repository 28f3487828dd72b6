# Pre-training schedule of the Table 7 study (tools/analysis/table7_study.py),
# counted in iterations so that an arm can be given any number of steps (the
# equal-compute arm): the CPU demo's AdamW at lr 1e-3
# (synthetic_optimizer.py), linear warm-up over the first 10% of the steps,
# cosine decay to 1e-5, as the paper's Table 12 schedule (1 warm-up epoch of
# 10, cosine to 1e-5). The study sets max_iters and the warm-up's end
# together.
_base_ = ['./synthetic_optimizer.py']

max_iters = 400
warmup_iters = 40

param_scheduler = [
    dict(type='LinearLR', start_factor=0.01, by_epoch=False, begin=0,
         end=warmup_iters),
    dict(type='CosineAnnealingLR', eta_min=1e-5, by_epoch=False,
         begin=warmup_iters),
]
train_cfg = dict(by_epoch=False, max_iters=max_iters, val_interval=100)
