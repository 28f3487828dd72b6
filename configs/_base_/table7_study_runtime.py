# The runtime of the Table 7 study's pre-training and fine-tuning runs
# (tools/analysis/table7_study.py), counted in iterations: validation draws
# the curves (VTC ranking of the 300 validation clips); the test re-scores
# the 8 best VTC candidates of each of the test set's 2,900 captions with
# VTM + VTC, in both directions. One checkpoint is kept, the last.
_base_ = ['./retrieval_runtime.py']

val_cfg = dict(k=0)
test_cfg = dict(k=8, score_mode='vtm+vtc')
default_hooks = dict(
    logger=dict(interval=25),
    checkpoint=dict(by_epoch=False, interval=100, max_keep_ckpts=1,
                    save_best=None))
log_processor = dict(by_epoch=False)
