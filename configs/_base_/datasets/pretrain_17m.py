# The paper's 17M pre-training corpus (Sec. 3.4): the 5M corpus (WebVid-2M,
# CC3M) plus CC12M, SBU Captions, Visual Genome and COCO image-text pairs
# (pretrain_corpora.py). Everything else is pretrain_5m.py's.
_base_ = ['./pretrain_5m.py']

train_dataloader = dict(dataset=dict(datasets={{_base_.corpora_17m}}))
