# Table 7 study, component row "MAE + VTS" (masking, MVM and token
# sparsification, no FS): the SMAUG row of smaug_pretrain.py with every
# frame to the multimodal encoder.
_base_ = ['./smaug_pretrain.py']

model = dict(frame_selector=None, num_selected_frames=None)
custom_hooks = []
