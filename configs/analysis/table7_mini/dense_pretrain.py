# Table 7 study, dense row (no MAE, no VTS, no FS): the mini SMAUG of
# smaug_pretrain.py with no masking, no token sparsification and every frame
# to the multimodal encoder; no MVM (nothing is masked).
_base_ = ['./smaug_pretrain.py']

model = dict(
    backbone=dict(mask_ratio=0.0, keep_rate=1.0),
    frame_selector=None,
    num_selected_frames=None,
    mvm_head=None,
)
custom_hooks = []
