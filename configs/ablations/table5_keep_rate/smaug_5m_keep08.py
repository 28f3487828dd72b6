# Paper Table 5: token keep rate 0.8 (5M corpus, single frame).
_base_ = ['../../smaug_pretrain_5m.py']
model = dict(backbone=dict(keep_rate=0.8))
