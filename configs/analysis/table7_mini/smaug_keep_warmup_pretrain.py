# Table 7 study, a remedy for the SMAUG row: EViT's keep-rate warm-up. The
# ViT keeps every token at the start and the model's 80% from a third of
# the run on, along a cosine (EViT shrinks over about a third of its
# training).
_base_ = ['./smaug_pretrain.py']

custom_hooks = [
    dict(type='GumbelTemperatureHook', start=1.0, end=0.1),
    dict(type='KeepRateWarmupHook', warmup_ratio=1 / 3),
]
