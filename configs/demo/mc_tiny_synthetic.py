# Multiple choice with the tiny model on the synthetic corpus (test only):
# each held-out clip's caption among four others, the option with the
# highest VTM score wins. Test a retrieval-fine-tuned (or pre-trained) demo
# checkpoint:
#   python tools/test.py configs/demo/mc_tiny_synthetic.py \
#       work_dirs/ret_tiny_synthetic/epoch_4.pth
_base_ = [
    '../_base_/models/smaug_tiny.py',
    '../_base_/datasets/synthetic_mc.py',
    '../_base_/mc_runtime.py',
]
model = dict(type='SMAUGMultipleChoice', mlm_head=None, mvm_head=None,
             backbone=dict(mask_ratio=0.0))
