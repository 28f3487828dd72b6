# Paper Table 7, row 2: + MAE (50% tube masking, MVM), dense tokens, all
# 4 frames.
_base_ = ['../../smaug_pretrain_5m_4frame.py']
model = dict(
    backbone=dict(keep_rate=1.0),
    frame_selector=None,
    num_selected_frames=None)
