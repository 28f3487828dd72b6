# SMAUG, single frame: CLIP ViT-B/16 visual encoder with tube masking (50%)
# and token sparsification (layers 4, 7, 10, keep rate 0.8), BERT-base split
# 9 + 3 layers, MAE pixel decoder of 3 blocks (paper Sec. 3.5).
#
# Weights: the OpenAI CLIP ViT-B/16 file (ViT-B-16.pt, or its conversion by
# tools/model_converters/clip_to_smaug.py) and a Hugging Face BERT folder or
# hub name; see data/README.md for where they go.
#
# The frame size is the config's img_size (a config variable, filled in by
# the config loader).
clip_checkpoint = 'data/pretrained/ViT-B-16.pt'
bert_checkpoint = 'bert-base-uncased'

model = dict(
    type='SMAUGPretrain',
    data_preprocessor=dict(
        type='VideoTextDataPreprocessor',
        tokenizer=bert_checkpoint,
        max_text_len=32),
    backbone=dict(
        type='SparseMAEViT',
        arch='base',
        patch_size=16,
        mask_ratio=0.5,
        sparse_layers=(4, 7, 10),
        keep_rate=0.8,
        init_cfg=dict(type='Pretrained', checkpoint=clip_checkpoint)),
    text_encoder=dict(
        type='BertTextEncoder',
        arch='base',
        num_layers=9,
        init_cfg=dict(type='PretrainedBERT', checkpoint=bert_checkpoint)),
    multimodal_encoder=dict(
        type='BertMultimodalEncoder',
        arch='base',
        num_layers=3,
        encoder_width=768,
        init_cfg=dict(type='PretrainedBERT', checkpoint=bert_checkpoint)),
    vtc_head=dict(type='VTCHead', video_dims=768, text_dims=768,
                  embed_dims=256, temperature=0.07),
    vtm_head=dict(type='VTMHead', in_channels=768),
    mlm_head=dict(
        type='BertMLMHead',
        arch='base',
        init_cfg=dict(type='PretrainedBERT', checkpoint=bert_checkpoint)),
    mvm_head=dict(
        type='MAEPixelDecoder',
        in_channels=768,
        embed_dims=512,
        depth=3,
        num_heads=16,
        patch_size=16),
    # Few GPUs: each process's batch (train_dataloader.total_batch_size, 128
    # as in the paper, over the GPUs) goes through the encoders in this many
    # micro-batches, with exact gradient accumulation: VTC, VTM, MLM and MVM
    # stay those of the whole batch. E.g. 2 GPUs hold 64 clips each as 4
    # micro-batches of 16: --cfg-options model.micro_batches=4.
    micro_batches=1,
)
