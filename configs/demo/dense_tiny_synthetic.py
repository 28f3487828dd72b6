# The tiny dense baseline (paper Table 7, first row) on the synthetic corpus:
# no masking, no token sparsification, every frame to the multimodal
# encoder, no MVM (nothing is masked). Same data and schedule as the demo.
_base_ = ['./smaug_tiny_synthetic.py']

model = dict(
    backbone=dict(mask_ratio=0.0, keep_rate=1.0),
    frame_selector=None,
    num_selected_frames=None,
    mvm_head=None,
)
