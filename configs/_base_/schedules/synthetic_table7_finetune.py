# Retrieval fine-tuning schedule of the Table 7 study: the paper's Table 13
# recipe (no warm-up, cosine decay, a tenth of the pre-training learning
# rate) on the pre-training optimizer: lr 1e-4 down to 1e-6, as
# configs/demo/ret_tiny_synthetic.py; counted in iterations.
_base_ = ['./synthetic_table7.py']

max_iters = 150

optim_wrapper = dict(optimizer=dict(lr=1e-4))
param_scheduler = [
    dict(type='CosineAnnealingLR', eta_min=1e-6, by_epoch=False, begin=0),
]
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
