# The paper's 17M pre-training corpus (Sec. 3.4): the 5M corpus (WebVid-2M,
# CC3M) plus CC12M, SBU Captions, Visual Genome and COCO image-text pairs.
# Everything else (pipelines, frame counts, validation) is pretrain_5m.py's;
# to change a frame count see the note there (list the six datasets:
# webvid_train, {{_base_.cc3m_train}}, {{_base_.cc12m_train}}, ...).
_base_ = ['./pretrain_5m.py']
from smaug.datasets.corpus_configs import pretrain_corpus  # noqa: E402

cc12m_train, sbu_train, vg_train, coco_train = (
    pretrain_corpus(name, 'image', {{_base_.image_train_pipeline}},
                    {{_base_.media_format}})
    for name in ('cc12m', 'sbu', 'vg', 'coco'))

train_dataloader = dict(
    dataset=dict(datasets=[
        {{_base_.webvid_train}}, {{_base_.cc3m_train}}, cc12m_train,
        sbu_train, vg_train, coco_train
    ]))
