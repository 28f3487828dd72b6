# Retrieval fine-tuning schedule of DiDeMo and ActivityNet Captions (paper
# Table 13): as finetune_ret_5e.py over 10 epochs.
_base_ = ['./finetune_ret_5e.py']

max_epochs = 10
