# The paper's 17M pre-training corpus (Sec. 3.4): the 5M corpus (WebVid-2M,
# CC3M) plus CC12M, SBU Captions, Visual Genome and COCO image-text pairs,
# each laid out as data/<name>/images with annotations/<name>_train.json.
# Everything else (pipelines, frame counts, validation) is pretrain_5m.py's.
_base_ = ['./pretrain_5m.py']

train_dataloader = dict(
    dataset=dict(datasets=[
        {{_base_.webvid_train}},
        {{_base_.cc3m_train}},
        dict(type='VideoTextPretrainDataset',
             data_root='data/cc12m',
             data_prefix=dict(image='images'),
             ann_file='annotations/cc12m_train.json',
             pipeline=[dict(type='ImageTrainPipeline')]),
        dict(type='VideoTextPretrainDataset',
             data_root='data/sbu',
             data_prefix=dict(image='images'),
             ann_file='annotations/sbu_train.json',
             pipeline=[dict(type='ImageTrainPipeline')]),
        dict(type='VideoTextPretrainDataset',
             data_root='data/vg',
             data_prefix=dict(image='images'),
             ann_file='annotations/vg_train.json',
             pipeline=[dict(type='ImageTrainPipeline')]),
        dict(type='VideoTextPretrainDataset',
             data_root='data/coco',
             data_prefix=dict(image='images'),
             ann_file='annotations/coco_train.json',
             pipeline=[dict(type='ImageTrainPipeline')]),
    ]))
