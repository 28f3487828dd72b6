# SMAUG for retrieval fine-tuning (paper Sec. 4.1): the pre-training model
# without MLM and MVM and without masking, initialised from a pre-training
# checkpoint given as load_from (so no CLIP/BERT initialisation here).
_base_ = ['./smaug_vit-b16_bert-base.py']

model = dict(
    type='SMAUGRetrieval',
    backbone=dict(mask_ratio=0.0, init_cfg=None),
    text_encoder=dict(init_cfg=None),
    multimodal_encoder=dict(init_cfg=None),
    mlm_head=None,
    mvm_head=None,
)
