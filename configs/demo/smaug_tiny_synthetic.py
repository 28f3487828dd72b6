# The CPU demo (`make demo`): pre-train the tiny SMAUG (tube masking 50%,
# token sparsification, 4 frames -> 2 selected, VTC + VTM + MLM + MVM) on the
# synthetic corpus, then test zero-shot text-to-video retrieval on its
# held-out clips.
_base_ = [
    '../_base_/models/smaug_tiny.py',
    '../_base_/datasets/synthetic_pretrain.py',
    '../_base_/schedules/synthetic_demo.py',
    '../_base_/retrieval_runtime.py',
]
train_dataloader = dict(batch_size=16)
# The gallery has 60 clips: re-score the 16 best candidates of each query.
# From scratch the tiny VTM head learns last and stays weaker than VTC, so
# its score is added to the VTC similarity rather than replacing it.
val_cfg = dict(k=16, score_mode='vtm+vtc')
test_cfg = dict(k=16, score_mode='vtm+vtc')
default_hooks = dict(logger=dict(interval=10),
                     checkpoint=dict(interval=10, max_keep_ckpts=1))
custom_hooks = [
    dict(type='PretrainVisualizationHook', interval=100),
    dict(type='GumbelTemperatureHook', start=1.0, end=0.1),
    # Demo-only (the paper samples hard negatives throughout): from
    # scratch, VTM learns only if its negatives start easy (uniform) and
    # become the paper's hard negatives over the run.
    dict(type='HardNegativeWarmupHook', warmup_ratio=1.0),
]
