# Single frame, dense: the full ViT on one frame (no tube masking, keep rate
# 1.0) and no MVM, since nothing is masked. VTC + VTM + MLM.
_base_ = ['../../_base_/models/smaug_vit-b16_bert-base.py']

model = dict(
    backbone=dict(mask_ratio=0., keep_rate=1.0),
    mvm_head=None,
)
