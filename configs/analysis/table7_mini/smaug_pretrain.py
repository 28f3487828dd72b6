# Table 7 study, SMAUG row (MAE + VTS + FS, 4 -> 2): the mini SMAUG
# pre-trained from the stage-0 weights on the study's stage-1 corpus.
# tools/analysis/table7_study.py runs it (and prepares its data and weights).
_base_ = [
    '../../_base_/models/smaug_mini.py',
    '../../_base_/datasets/synthetic_table7_pretrain.py',
    '../../_base_/schedules/synthetic_table7.py',
    '../../_base_/retrieval_runtime.py',
]
# Validation draws the curves (VTC ranking of the 300 validation clips); the
# test re-scores the 8 best VTC candidates of each of the test set's 2,900
# captions with VTM + VTC, in both directions.
val_cfg = dict(k=0)
test_cfg = dict(k=8, score_mode='vtm+vtc')
default_hooks = dict(
    logger=dict(interval=25),
    checkpoint=dict(by_epoch=False, interval=100, max_keep_ckpts=1,
                    save_best=None))
custom_hooks = [dict(type='GumbelTemperatureHook', start=1.0, end=0.1)]
log_processor = dict(by_epoch=False)
