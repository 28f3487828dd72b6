# Paper Table 7, row 4: + MAE + VTS + frame selection 4->2: full SMAUG.
_base_ = ['../../smaug_pretrain_5m_4frame.py']
