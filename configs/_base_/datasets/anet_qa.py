# ActivityNet-QA open-ended video question answering (paper Sec. 4.1): as
# msrvtt_qa.py (pipelines, 12 test frames: Table 12) on data/anet.
_base_ = ['./msrvtt_qa.py']

data_root = 'data/anet'

train_dataloader = dict(dataset=dict(data_root=data_root))
val_dataloader = dict(dataset=dict(data_root=data_root))
test_dataloader = dict(dataset=dict(data_root=data_root))
