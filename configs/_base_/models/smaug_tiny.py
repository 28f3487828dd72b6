# A tiny SMAUG for CPU runs on the synthetic corpus (configs/demo/, tests):
# the same components as the ViT-B/16 + BERT-base model, at small widths.
# 8x8 patches (64 per frame of the synthetic data's 64x64), 4 frames -> 2
# selected. The frame size and count are the config's img_size and
# num_frames (config variables, filled in by the config loader).
patch_size = 8
embed_dims = 64
vocab_file = 'data/synthetic/vocab.txt'

# Demo-only knobs (the paper's model has neither; the demo_ prefix says so):
# - demo_bert_arch: a tiny BERT (width 64, a 256-word vocabulary of the
#   synthetic corpus) in place of BERT-base;
# - demo_bert_init: the text encoders' initialisation std. Trained from
#   scratch (no BERT weights offline), BERT's N(0, 0.02) leaves the text
#   [CLS] almost input-independent at this width (cosine 0.99997 between
#   captions): VTC then sits at its collapsed saddle (loss ln B) and never
#   leaves it. N(0, 0.2) gives captions distinct [CLS] features (cosine
#   0.8-0.95) from the start.
# The third, the hard-negative warm-up of VTM, is a hook of
# configs/demo/smaug_tiny_synthetic.py.
demo_bert_arch = dict(hidden_size=embed_dims, num_heads=4,
                      intermediate_size=256, vocab_size=256,
                      max_position_embeddings=64)
demo_bert_init = dict(type='BertRandomInit', std=0.2)

model = dict(
    type='SMAUGPretrain',
    data_preprocessor=dict(
        type='VideoTextDataPreprocessor',
        tokenizer=vocab_file,
        max_text_len=24),
    backbone=dict(
        type='SparseMAEViT',
        arch=dict(embed_dims=embed_dims, num_layers=4, num_heads=4,
                  feedforward_channels=4 * embed_dims),
        patch_size=patch_size,
        mask_ratio=0.5,
        sparse_layers=(2, 3),
        keep_rate=0.8),
    temporal_encoder=dict(
        type='TemporalEncoder',
        embed_dims=embed_dims,
        num_layers=1,
        num_heads=4,
        feedforward_channels=4 * embed_dims),
    frame_selector=dict(
        type='TextGuidedFrameSelector',
        video_dims=embed_dims,
        text_dims=embed_dims,
        embed_dims=32,
        num_layers=2,
        num_heads=2,
        feedforward_channels=64),
    num_selected_frames=2,
    text_encoder=dict(type='BertTextEncoder', arch=demo_bert_arch,
                      num_layers=2, init_cfg=demo_bert_init),
    multimodal_encoder=dict(
        type='BertMultimodalEncoder',
        arch=demo_bert_arch,
        num_layers=1,
        encoder_width=embed_dims,
        init_cfg=demo_bert_init),
    vtc_head=dict(type='VTCHead', video_dims=embed_dims, text_dims=embed_dims,
                  embed_dims=32, temperature=0.07),
    vtm_head=dict(type='VTMHead', in_channels=embed_dims),
    mlm_head=dict(type='BertMLMHead', arch=demo_bert_arch,
                  init_cfg=demo_bert_init),
    mvm_head=dict(
        type='MAEPixelDecoder',
        in_channels=embed_dims,
        embed_dims=32,
        depth=1,
        num_heads=2,
        feedforward_channels=64,
        patch_size=patch_size),
)
