# Multiple-choice evaluation (MSRVTT-MC): mmengine's ValLoop/TestLoop, the
# model picks the option with the highest VTM score and MCAccuracy scores
# its choices.
_base_ = ['./default_runtime.py']

val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
val_evaluator = dict(type='MCAccuracy')
test_evaluator = val_evaluator
