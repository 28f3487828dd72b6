# Paper Table 6: select 2 of 4 frames (5M corpus).
_base_ = ['../../smaug_pretrain_5m_4frame.py']
model = dict(num_selected_frames=2)
