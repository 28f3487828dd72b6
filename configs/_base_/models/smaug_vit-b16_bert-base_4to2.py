# SMAUG, multi-frame: 4 frames, a temporal encoder, and the text-guided
# frame selector keeping 2 of them (paper Table 6, "4->2"). The temporal
# encoder's frame count is the config's num_frames (the config variable the
# data's clips follow too).
_base_ = ['./smaug_vit-b16_bert-base.py']

model = dict(
    temporal_encoder=dict(
        type='TemporalEncoder',
        embed_dims=768,
        num_layers=2,
        num_heads=12,
        feedforward_channels=3072),
    frame_selector=dict(
        type='TextGuidedFrameSelector',
        video_dims=768,
        text_dims=768,
        embed_dims=256,
        num_layers=2,
        num_heads=2,
        feedforward_channels=2048,
        gumbel_tau=1.0),
    num_selected_frames=2,
)
