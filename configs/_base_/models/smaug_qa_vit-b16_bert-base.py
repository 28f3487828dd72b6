# SMAUG for open-ended video QA (paper Sec. 4.1): the retrieval model's
# encoders (single frame, no masking, no CLIP/BERT initialisation) and an
# answer decoder of 3 BERT layers (causal self-attention, cross-attention to
# Q_m's output) with an LM head of BERT's MLM-head shape. The weights come
# from a pre-training checkpoint given as load_from: SMAUGQA copies Q_m's
# layers into the decoder and the MLM head into the LM head.
_base_ = ['./smaug_retrieval_vit-b16_bert-base.py']

model = dict(
    _delete_=True,
    type='SMAUGQA',
    data_preprocessor={{_base_.model.data_preprocessor}},
    backbone={{_base_.model.backbone}},
    text_encoder={{_base_.model.text_encoder}},
    multimodal_encoder={{_base_.model.multimodal_encoder}},
    answer_decoder=dict(type='BertAnswerDecoder', arch='base', num_layers=3),
    answer_head=dict(type='BertMLMHead', arch='base'),
    # top 128 answers by first-token likelihood, then full likelihood
    num_candidates=128,
)
