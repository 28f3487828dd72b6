# Single frame, SMAUG (paper Tables 4-5 defaults): tube masking at 50% with
# MVM, token sparsification at layers 4, 7, 10 with keep rate 0.8.
_base_ = ['../../_base_/models/smaug_vit-b16_bert-base.py']
