# QA evaluation shared by the QA configs: mmengine's ValLoop/TestLoop, the
# model ranks the evaluated dataset's answer list (AnswerListHook hands it
# over) and QAAccuracy scores its answers; the best checkpoint is kept by
# accuracy.
_base_ = ['./default_runtime.py']

val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
val_evaluator = dict(type='QAAccuracy')
test_evaluator = val_evaluator
custom_hooks = [dict(type='AnswerListHook')]

default_hooks = dict(
    checkpoint=dict(interval=1, max_keep_ckpts=2, save_best='qa/accuracy',
                    rule='greater'))
