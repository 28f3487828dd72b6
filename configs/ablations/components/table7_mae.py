# Paper Table 7, row 2: + MAE. Tube masking at 50% and the MVM pixel decoder;
# no token sparsification (keep rate 1.0), all 4 frames to the multimodal
# encoder.
_base_ = ['../../_base_/models/smaug_vit-b16_bert-base_4to2.py']

model = dict(
    backbone=dict(keep_rate=1.0),
    frame_selector=None,
    num_selected_frames=None,
)
