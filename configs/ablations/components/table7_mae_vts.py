# Paper Table 7, row 3: + MAE + VTS. Masking at 50%, MVM, and token
# sparsification at layers 4, 7, 10 with keep rate 0.8; all 4 frames to the
# multimodal encoder (no frame selection).
_base_ = ['../../_base_/models/smaug_vit-b16_bert-base_4to2.py']

model = dict(
    frame_selector=None,
    num_selected_frames=None,
)
