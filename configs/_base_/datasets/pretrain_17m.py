# The paper's 17M pre-training corpus (Sec. 3.4): the 5M corpus (WebVid-2M,
# CC3M) plus CC12M, SBU Captions, Visual Genome and COCO image-text pairs.
# Everything else (pipelines, frame counts, validation) is pretrain_5m.py's;
# to change a frame count see the note there (list the six datasets:
# webvid_train, {{_base_.cc3m_train}}, {{_base_.cc12m_train}}, ...).
_base_ = ['./pretrain_5m.py']


def _image_corpus(name):
    """An image-text corpus laid out as data/<name>/{images,annotations}."""
    return dict(
        type='VideoTextPretrainDataset',
        data_root=f'data/{name}',
        data_prefix=dict(image='images'),
        ann_file=f'annotations/{name}_train.json',
        media_format={{_base_.media_format}},
        pipeline={{_base_.image_train_pipeline}})


cc12m_train = _image_corpus('cc12m')
sbu_train = _image_corpus('sbu')
vg_train = _image_corpus('vg')
coco_train = _image_corpus('coco')

train_dataloader = dict(
    dataset=dict(datasets=[
        {{_base_.webvid_train}}, {{_base_.cc3m_train}}, cc12m_train,
        sbu_train, vg_train, coco_train
    ]))
