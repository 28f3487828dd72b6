# Retrieval fine-tuning of the tiny demo model on the synthetic corpus (one
# item per clip-caption pair of the training clips; test on the held-out
# clips). Start from the demo's pre-training checkpoint:
#   python tools/train.py configs/demo/ret_tiny_synthetic.py \
#       --cfg-options load_from=work_dirs/demo/epoch_40.pth
_base_ = [
    '../_base_/models/smaug_tiny.py',
    '../_base_/datasets/synthetic_ret.py',
    '../_base_/schedules/synthetic_demo.py',
    '../_base_/retrieval_runtime.py',
]
model = dict(type='SMAUGRetrieval', mlm_head=None, mvm_head=None,
             backbone=dict(mask_ratio=0.0))
max_epochs = 4
optim_wrapper = dict(optimizer=dict(lr=1e-4))
param_scheduler = [
    dict(type='CosineAnnealingLR', eta_min=1e-6, by_epoch=True, begin=0,
         convert_to_iter_based=True),
]
train_cfg = dict(val_interval=4)
# As in the demo: the tiny VTM is weaker than VTC, so its score is added
# to the VTC similarity.
val_cfg = dict(k=16, score_mode='vtm+vtc')
test_cfg = dict(k=16, score_mode='vtm+vtc')
default_hooks = dict(logger=dict(interval=10),
                     checkpoint=dict(interval=4, max_keep_ckpts=1))
