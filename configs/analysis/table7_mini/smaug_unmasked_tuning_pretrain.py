# Table 7 study, a remedy for the SMAUG row: FLIP's unmasked tuning. The
# last 10% of pre-training sees unmasked frames, as the test does (MVM is
# idle then).
_base_ = ['./smaug_pretrain.py']

custom_hooks = [
    dict(type='GumbelTemperatureHook', start=1.0, end=0.1),
    dict(type='UnmaskedTuningHook', tuning_ratio=0.1),
]
