# Multi-frame pre-training schedule (paper Sec. 3.5): pretrain_10e.py over
# 5 epochs, continuing from the single-frame model (the configs' load_from).
_base_ = ['./pretrain_10e.py']

max_epochs = 5
