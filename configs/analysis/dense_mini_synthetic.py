# Mini Table 7, dense baseline row (tools/analysis/mini_ablation.py): the
# mini SMAUG of smaug_mini_synthetic.py with no masking, no token
# sparsification, every frame to the multimodal encoder and no MVM.
_base_ = ['./smaug_mini_synthetic.py']

model = dict(
    backbone=dict(mask_ratio=0.0, keep_rate=1.0),
    frame_selector=None,
    num_selected_frames=None,
    mvm_head=None,
)
