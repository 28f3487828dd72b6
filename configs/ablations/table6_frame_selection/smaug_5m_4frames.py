# Paper Table 6: 4 frames, no selection (5M corpus).
_base_ = ['../../smaug_pretrain_5m_4frame.py']
model = dict(frame_selector=None, num_selected_frames=None)
