# The tiny SMAUG of smaug_tiny.py for open-ended QA: its encoders (4 frames
# -> 2 selected by the question), an answer decoder of one layer (as Q_m)
# and an LM head, for CPU runs on the synthetic corpus.
_base_ = ['./smaug_tiny.py']

model = dict(
    _delete_=True,
    type='SMAUGQA',
    data_preprocessor={{_base_.model.data_preprocessor}},
    backbone={{_base_.model.backbone}},
    temporal_encoder={{_base_.model.temporal_encoder}},
    frame_selector={{_base_.model.frame_selector}},
    num_selected_frames={{_base_.model.num_selected_frames}},
    text_encoder={{_base_.model.text_encoder}},
    multimodal_encoder={{_base_.model.multimodal_encoder}},
    answer_decoder=dict(
        type='BertAnswerDecoder', arch={{_base_.demo_bert_arch}},
        num_layers=1),
    answer_head=dict(type='BertMLMHead', arch={{_base_.demo_bert_arch}}),
)
