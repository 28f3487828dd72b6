# Table 7 study, SMAUG row (MAE + VTS + FS, 4 -> 2): the mini SMAUG
# pre-trained from the stage-0 weights on the study's stage-1 corpus.
# tools/analysis/table7_study.py runs it (and prepares its data and weights).
_base_ = [
    '../../_base_/models/smaug_mini.py',
    '../../_base_/datasets/synthetic_table7_pretrain.py',
    '../../_base_/schedules/synthetic_table7.py',
    '../../_base_/table7_study_runtime.py',
]
custom_hooks = [dict(type='GumbelTemperatureHook', start=1.0, end=0.1)]
