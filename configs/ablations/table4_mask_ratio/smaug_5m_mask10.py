# Paper Table 4: masking ratio 10% (5M corpus, single frame).
_base_ = ['../../smaug_pretrain_5m.py']
model = dict(backbone=dict(mask_ratio=0.1))
