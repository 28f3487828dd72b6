# The mini SMAUG of the Table 7 study (tools/analysis/table7_study.py): the
# paper's 4->2 model (smaug_vit-b16_bert-base_4to2.py) scaled down until 5
# seeds of a study fit a 2-core CPU, with the visual encoder still the
# largest part of a step, as ViT-B is on a GPU. ViT of width 128, 6 layers,
# 96x96 frames of 16x16 patches (36 per frame); tube masking 50%, token
# sparsification at layers 2, 3 and 5 (ViT-B's 4, 7, 10 scaled to 6 layers)
# keeping 80%; 4 frames -> 2 selected; a BERT of width 128 split 2 + 1.
# The frame size and count are the config's img_size and num_frames
# (config variables, from synthetic_table7_pretrain.py).
#
# Weights: like the paper's model, the visual encoder loads a CLIP visual
# checkpoint and the language parts a Hugging Face BERT folder, through the
# same init_cfg. Here both are the stand-ins the study's stage 0 exports
# (configs/analysis/table7_mini/stage0_dual_encoder.py, then
# tools/model_converters/smaug_to_clip_bert.py).
_base_ = ['./smaug_vit-b16_bert-base_4to2.py']

embed_dims = 128
patch_size = 16
stage0_export = 'work_dirs/table7_study/stage0/export'
clip_checkpoint = f'{stage0_export}/clip_visual.pth'
bert_checkpoint = f'{stage0_export}/bert'
mini_bert_arch = dict(_delete_=True, hidden_size=embed_dims, num_heads=4,
                      intermediate_size=4 * embed_dims, vocab_size=256,
                      max_position_embeddings=64)

model = dict(
    data_preprocessor=dict(tokenizer=bert_checkpoint, max_text_len=24),
    backbone=dict(
        arch=dict(_delete_=True, embed_dims=embed_dims, num_layers=6,
                  num_heads=4, feedforward_channels=4 * embed_dims),
        patch_size=patch_size,
        sparse_layers=(2, 3, 5),
        init_cfg=dict(checkpoint=clip_checkpoint)),
    temporal_encoder=dict(embed_dims=embed_dims, num_layers=1, num_heads=4,
                          feedforward_channels=4 * embed_dims),
    frame_selector=dict(video_dims=embed_dims, text_dims=embed_dims,
                        embed_dims=32, feedforward_channels=64),
    text_encoder=dict(arch=mini_bert_arch, num_layers=2,
                      init_cfg=dict(checkpoint=bert_checkpoint)),
    multimodal_encoder=dict(arch=mini_bert_arch, num_layers=1,
                            encoder_width=embed_dims,
                            init_cfg=dict(checkpoint=bert_checkpoint)),
    vtc_head=dict(video_dims=embed_dims, text_dims=embed_dims,
                  embed_dims=32),
    vtm_head=dict(in_channels=embed_dims),
    mlm_head=dict(arch=mini_bert_arch,
                  init_cfg=dict(checkpoint=bert_checkpoint)),
    mvm_head=dict(in_channels=embed_dims, embed_dims=32, depth=1,
                  num_heads=2, feedforward_channels=64,
                  patch_size=patch_size),
)
