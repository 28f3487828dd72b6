# Retrieval fine-tuning schedule of DiDeMo and ActivityNet Captions (paper
# Table 13): as finetune_ret_5e.py over 10 epochs.
_base_ = ['./finetune_ret_5e.py']

max_epochs = 10
train_cfg = dict(max_epochs=max_epochs)
