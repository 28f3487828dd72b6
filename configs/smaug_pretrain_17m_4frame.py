# SMAUG multi-frame pre-training on the 17M corpus (paper Tables 6, 9): as
# configs/smaug_pretrain_5m_4frame.py (4 frames, 4->2 selection, 5 epochs
# from the single-frame model) with the four extra image-text corpora.
#   tools/dist_train.sh configs/smaug_pretrain_17m_4frame.py 4
_base_ = ['./smaug_pretrain_5m_4frame.py']
load_from = 'work_dirs/smaug_pretrain_17m/best_retrieval_mean_recall.pth'


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
