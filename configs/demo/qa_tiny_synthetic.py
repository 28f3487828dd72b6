# Open-ended QA with the tiny model on the synthetic corpus: questions about
# shape, colour, action, direction and count of its clips, answered from its
# answer list; 8 epochs (about 7 minutes on 2 CPU cores with
# OMP_NUM_THREADS=1), validated after epochs 4 and 8. Start from the demo's
# pre-training checkpoint:
#   python tools/train.py configs/demo/qa_tiny_synthetic.py \
#       --cfg-options load_from=work_dirs/demo/epoch_40.pth
#   python tools/test.py configs/demo/qa_tiny_synthetic.py \
#       work_dirs/qa_tiny_synthetic/epoch_8.pth
_base_ = [
    '../_base_/models/smaug_qa_tiny.py',
    '../_base_/datasets/synthetic_qa.py',
    '../_base_/schedules/synthetic_demo.py',
    '../_base_/qa_runtime.py',
]
model = dict(backbone=dict(mask_ratio=0.0))
max_epochs = 8
optim_wrapper = dict(optimizer=dict(lr=5e-4))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.01, by_epoch=True, begin=0,
         end=0.5, convert_to_iter_based=True),
    dict(type='CosineAnnealingLR', eta_min=1e-6, by_epoch=True, begin=0.5,
         convert_to_iter_based=True),
]
train_cfg = dict(val_interval=4)
default_hooks = dict(logger=dict(interval=20),
                     checkpoint=dict(interval=8, max_keep_ckpts=1))
