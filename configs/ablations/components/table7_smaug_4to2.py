# Paper Table 7, row 4: + MAE + VTS + FS, the full SMAUG "4->2": masking at
# 50%, MVM, sparsification (keep rate 0.8) and the text-guided selector
# keeping 2 of the 4 frames for the multimodal encoder.
_base_ = ['../../_base_/models/smaug_vit-b16_bert-base_4to2.py']
