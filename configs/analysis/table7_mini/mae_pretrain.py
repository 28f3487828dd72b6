# Table 7 study, component row "MAE" (masking and MVM, no VTS, no FS): the
# SMAUG row of smaug_pretrain.py without token sparsification and with
# every frame to the multimodal encoder.
_base_ = ['./smaug_pretrain.py']

model = dict(
    backbone=dict(keep_rate=1.0),
    frame_selector=None,
    num_selected_frames=None,
)
custom_hooks = []
