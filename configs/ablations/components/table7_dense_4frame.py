# Paper Table 7, row 1: the dense multi-frame baseline (no MAE, no VTS, no
# FS). 4 frames through the full ViT (no tube masking, keep rate 1.0), the
# temporal encoder, and all 4 frames to the multimodal encoder; no MVM, since
# nothing is masked. VTC + VTM + MLM.
_base_ = ['../../_base_/models/smaug_vit-b16_bert-base_4to2.py']

model = dict(
    backbone=dict(mask_ratio=0., keep_rate=1.0),
    frame_selector=None,
    num_selected_frames=None,
    mvm_head=None,
)
