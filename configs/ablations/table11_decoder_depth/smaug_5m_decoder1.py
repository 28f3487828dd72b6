# Paper Table 11: MAE decoder with 1 Transformer block(s) (5M corpus,
# single frame).
_base_ = ['../../smaug_pretrain_5m.py']
model = dict(mvm_head=dict(depth=1))
