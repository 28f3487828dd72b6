# Stage 0 of the Table 7 study: the stand-in for CLIP ViT-B/16 and BERT-base
# that both study arms start from. A dual encoder (the mini SMAUG's ViT and a
# 3-layer BERT of its width: its 2 text layers plus 1 multimodal layer),
# trained from scratch on single frames and still images with their captions
# (VTC, as CLIP, plus MLM on the captions alone, as BERT) from the stage-0
# part of the corpus, which stage 1, fine-tuning and the tests never see.
# tools/analysis/table7_study.py trains it and exports it with
# tools/model_converters/smaug_to_clip_bert.py.
_base_ = [
    '../../_base_/datasets/synthetic_table7_pretrain.py',
    '../../_base_/schedules/synthetic_table7.py',
    '../../_base_/retrieval_runtime.py',
]

num_frames = 1  # single frames (and still images)

embed_dims = 128
bert_arch = dict(hidden_size=embed_dims, num_heads=4,
                 intermediate_size=4 * embed_dims, vocab_size=256,
                 max_position_embeddings=64)
# From scratch, BERT's N(0, 0.02) leaves a small text encoder's [CLS] almost
# independent of the caption and VTC at its collapsed saddle; the demo's
# N(0, 0.2) does not (configs/_base_/models/smaug_tiny.py).
bert_init = dict(type='BertRandomInit', std=0.2)

model = dict(
    type='DualEncoderPretrain',
    data_preprocessor=dict(
        type='VideoTextDataPreprocessor',
        tokenizer='data/synthetic_table7/vocab.txt',
        max_text_len=24),
    backbone=dict(
        type='SparseMAEViT',
        arch=dict(embed_dims=embed_dims, num_layers=6, num_heads=4,
                  feedforward_channels=4 * embed_dims),
        patch_size=16,
        mask_ratio=0.0,
        sparse_layers=()),
    text_encoder=dict(type='BertTextEncoder', arch=bert_arch, num_layers=3,
                      init_cfg=bert_init),
    vtc_head=dict(type='VTCHead', video_dims=embed_dims,
                  text_dims=embed_dims, embed_dims=32),
    mlm_head=dict(type='BertMLMHead', arch=bert_arch, init_cfg=bert_init),
)

train_dataloader = dict(dataset=dict(datasets=[
    dict(type='VideoTextPretrainDataset',
         ann_file='annotations/table7_stage0_video.json',
         pipeline=[dict(type='VideoTrainPipeline', style='synthetic')]),
    dict(type='VideoTextPretrainDataset',
         ann_file='annotations/table7_stage0_image.json',
         pipeline=[dict(type='ImageTrainPipeline', style='synthetic')]),
]))
val_cfg = dict(k=0)
test_cfg = dict(k=0)
default_hooks = dict(
    logger=dict(interval=50),
    checkpoint=dict(by_epoch=False, interval=500, max_keep_ckpts=1,
                    save_best=None))
log_processor = dict(by_epoch=False)
