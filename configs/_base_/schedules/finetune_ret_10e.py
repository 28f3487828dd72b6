# Retrieval fine-tuning schedule of DiDeMo and ActivityNet Captions (paper
# Table 13): as finetune_ret_5e.py over 10 epochs.
_base_ = ['./finetune_ret_5e.py']

max_epochs = 10
param_scheduler = [
    dict(type='CosineAnnealingLR', eta_min=1e-6, by_epoch=True, begin=0,
         end=max_epochs, convert_to_iter_based=True),
]
train_cfg = dict(max_epochs=max_epochs)
