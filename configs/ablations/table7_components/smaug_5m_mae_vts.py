# Paper Table 7, row 3: + MAE + visual token sparsification (keep rate
# 0.8), all 4 frames.
_base_ = ['../../smaug_pretrain_5m_4frame.py']
model = dict(frame_selector=None, num_selected_frames=None)
