# Paper Table 6: single frame (5M corpus); the default single-frame model.
_base_ = ['../../smaug_pretrain_5m.py']
