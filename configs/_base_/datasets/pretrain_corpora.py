# The paper's pre-training corpora (Sec. 3.4), each laid out as
# data/<name>/{videos|images} with annotations/<name>_train.json (layout and
# preparation: data/README.md), and the two corpus lists the configs train
# on: corpora_5m (WebVid-2M video-text pairs, CC3M image-text pairs) and
# corpora_17m (those and CC12M, SBU Captions, Visual Genome, COCO).
webvid_train = dict(
    type='VideoTextPretrainDataset',
    data_root='data/webvid',
    data_prefix=dict(video='videos'),
    ann_file='annotations/webvid_train.json',
    pipeline=[dict(type='VideoTrainPipeline')])
# What the image-text corpora share; each adds its folder and annotations.
# (A name starting with __ is not kept in the merged config.)
__image_corpus = dict(
    type='VideoTextPretrainDataset',
    data_prefix=dict(image='images'),
    pipeline=[dict(type='ImageTrainPipeline')])
cc3m_train = dict(__image_corpus, data_root='data/cc3m',
                  ann_file='annotations/cc3m_train.json')
cc12m_train = dict(__image_corpus, data_root='data/cc12m',
                   ann_file='annotations/cc12m_train.json')
sbu_train = dict(__image_corpus, data_root='data/sbu',
                 ann_file='annotations/sbu_train.json')
vg_train = dict(__image_corpus, data_root='data/vg',
                ann_file='annotations/vg_train.json')
coco_train = dict(__image_corpus, data_root='data/coco',
                  ann_file='annotations/coco_train.json')

corpora_5m = [webvid_train, cc3m_train]
corpora_17m = [
    webvid_train, cc3m_train, cc12m_train, sbu_train, vg_train, coco_train
]
