# The optimizer of the CPU runs on the synthetic corpus (the demo's and the
# Table 7 study's schedules): AdamW at lr 1e-3, weight decay 0.02, gradients
# clipped to norm 5.
optim_wrapper = dict(
    type='AutoAmpOptimWrapper',
    optimizer=dict(type='AdamW', lr=1e-3, betas=(0.9, 0.999),
                   weight_decay=0.02),
    clip_grad=dict(max_norm=5.0),
)
