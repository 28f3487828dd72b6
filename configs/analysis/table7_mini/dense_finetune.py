# Table 7 study: retrieval fine-tuning of the dense row (smaug_finetune.py's
# recipe on the dense architecture of dense_pretrain.py).
_base_ = ['./smaug_finetune.py']

model = dict(
    backbone=dict(keep_rate=1.0),
    frame_selector=None,
    num_selected_frames=None,
)
