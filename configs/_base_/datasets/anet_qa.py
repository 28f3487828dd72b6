# ActivityNet-QA open-ended video question answering (paper Sec. 4.1): as
# msrvtt_qa.py (pipelines, 12 test frames: Table 12) on data/anet.
_base_ = ['./msrvtt_qa.py']

data_root = 'data/anet'
