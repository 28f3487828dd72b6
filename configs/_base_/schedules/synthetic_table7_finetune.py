# Retrieval fine-tuning schedule of the Table 7 study: the paper's Table 13
# recipe (AdamW, no warm-up, cosine decay, a tenth of the pre-training
# learning rate) at the CPU demo's rates: lr 1e-4 down to 1e-6, as
# configs/demo/ret_tiny_synthetic.py; counted in iterations.
max_iters = 150

optim_wrapper = dict(
    type='AutoAmpOptimWrapper',
    optimizer=dict(type='AdamW', lr=1e-4, betas=(0.9, 0.999),
                   weight_decay=0.02),
    clip_grad=dict(max_norm=5.0),
)
param_scheduler = [
    dict(type='CosineAnnealingLR', eta_min=1e-6, by_epoch=False, begin=0),
]
train_cfg = dict(by_epoch=False, max_iters=max_iters, val_interval=max_iters)
