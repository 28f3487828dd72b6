# Table 7 study: retrieval fine-tuning of the SMAUG row, the project's
# recipe (configs/_base_/models/smaug_retrieval_vit-b16_bert-base.py): the
# pre-trained architecture without MLM, MVM or masking (sparsification and
# frame selection stay), started from the arm's pre-training checkpoint
# (load_from; tools/analysis/table7_study.py sets it).
_base_ = [
    '../../_base_/models/smaug_mini.py',
    '../../_base_/datasets/synthetic_table7_ret.py',
    '../../_base_/schedules/synthetic_table7_finetune.py',
    '../../_base_/table7_study_runtime.py',
]
model = dict(
    type='SMAUGRetrieval',
    backbone=dict(mask_ratio=0.0, init_cfg=None),
    text_encoder=dict(init_cfg=None),
    multimodal_encoder=dict(init_cfg=None),
    mlm_head=None,
    mvm_head=None,
)
# The checkpoint at the end of the 150 steps.
default_hooks = dict(checkpoint=dict(interval=150))
