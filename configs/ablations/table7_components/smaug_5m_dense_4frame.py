# Paper Table 7, row 1: dense 4-frame baseline (no MAE masking, no token
# sparsification, no frame selection; no MVM since nothing is masked).
_base_ = ['../../smaug_pretrain_5m_4frame.py']
model = dict(
    backbone=dict(mask_ratio=0.0, keep_rate=1.0),
    mvm_head=None,
    frame_selector=None,
    num_selected_frames=None)
