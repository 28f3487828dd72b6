# Mini Table 7, SMAUG row (tools/analysis/mini_ablation.py): the tiny SMAUG
# made deeper and wider, on larger frames, so that the visual encoder is the
# largest part of a CPU training step (as ViT-B is on a GPU), while 3 seeds of
# both rows still train 1 epoch (128 steps) in about 15 minutes on 2 cores.
# ViT of width 128, 6 layers, 96x96 frames of 16x16 patches (36 per frame),
# 4 frames -> 2 selected; masking 50%, token sparsification at layers 2, 3
# and 5 (ViT-B's 4, 7, 10 scaled to 6 layers) keeping 80%; text encoder (2
# layers) and multimodal encoder (1 layer) at the same width.
#
# Data: the synthetic corpus at 96 px with 2000 training clips and 500
# held-out clips (2924 captions):
#   python tools/data/make_synthetic.py --out data/synthetic_mini_table7 \
#       --num-videos 2500 --size 96
_base_ = ['../demo/smaug_tiny_synthetic.py']

embed_dims = 128
patch_size = 16
# Config variables: the frames of every pipeline and of the ViT and MAE
# decoder, the test clips' frame count and every dataset's folder.
img_size = 96
num_test_frames = 4
data_root = 'data/synthetic_mini_table7'
demo_bert_arch = dict(hidden_size=embed_dims, num_heads=4,
                      intermediate_size=4 * embed_dims, vocab_size=256,
                      max_position_embeddings=64)

model = dict(
    data_preprocessor=dict(tokenizer='data/synthetic_mini_table7/vocab.txt'),
    backbone=dict(
        arch=dict(embed_dims=embed_dims, num_layers=6, num_heads=4,
                  feedforward_channels=4 * embed_dims),
        patch_size=patch_size,
        sparse_layers=(2, 3, 5)),
    temporal_encoder=dict(embed_dims=embed_dims, num_heads=4,
                          feedforward_channels=4 * embed_dims),
    frame_selector=dict(video_dims=embed_dims, text_dims=embed_dims),
    text_encoder=dict(arch=demo_bert_arch),
    multimodal_encoder=dict(arch=demo_bert_arch, encoder_width=embed_dims),
    vtc_head=dict(video_dims=embed_dims, text_dims=embed_dims),
    vtm_head=dict(in_channels=embed_dims),
    mlm_head=dict(arch=demo_bert_arch),
    mvm_head=dict(in_channels=embed_dims, patch_size=patch_size),
)

# 2924 queries over 500 clips: VTM re-scores the 8 best of each, in both
# directions (VTM + VTC, as the tiny configs), on the 4 test frames.
val_cfg = dict(k=8)
test_cfg = dict(k=8)
# Runs of a few epochs: warm up for a quarter of an epoch, then cosine.
param_scheduler = [
    dict(type='LinearLR', start_factor=0.01, by_epoch=True, begin=0,
         end=0.25, convert_to_iter_based=True),
    dict(type='CosineAnnealingLR', eta_min=1e-5, by_epoch=True, begin=0.25,
         convert_to_iter_based=True),
]
