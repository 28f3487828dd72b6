# Table 7 study, a remedy for the SMAUG row: a lower mask ratio, 25% of the
# patches (the paper's Table 4 ranges from 10% to 50%).
_base_ = ['./smaug_pretrain.py']

model = dict(backbone=dict(mask_ratio=0.25))
