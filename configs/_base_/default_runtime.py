# Runtime settings shared by every smaug config.
default_scope = 'smaug'
runner_type = 'SMAUGRunner'

# CrashSafeCheckpointHook: the latest checkpoint survives a crash during a
# save; ExactResumeHook: --resume continues exactly (seeded steps and data,
# mid-epoch position); NonFiniteLossHook: names the loss terms of steps that
# AutoAmpOptimWrapper skipped for a NaN/inf loss, stops after too many.
# PreemptionHook: on SIGTERM/SIGUSR1 (Slurm, Kubernetes, torchrun), saves a
# checkpoint that --resume continues exactly, then exits with 128 + signal.
# ProtocolRecordHook: a test run writes and logs its evaluation protocol
# (split, annotation SHA-256, counts, frames, scoring) and the paper's row.
default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=50),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(type='CrashSafeCheckpointHook', interval=1,
                    max_keep_ckpts=3),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    exact_resume=dict(type='ExactResumeHook'),
    nonfinite_loss=dict(type='NonFiniteLossHook'),
    preemption=dict(type='PreemptionHook'),
    protocol_record=dict(type='ProtocolRecordHook'),
)

env_cfg = dict(
    cudnn_benchmark=False,
    mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0),
    # NCCL on GPUs; SMAUGRunner falls back to gloo on CPU-only machines.
    dist_cfg=dict(backend='nccl'),
)

vis_backends = [
    dict(type='LocalVisBackend'),
    # TensorboardVisBackend whose write errors name the folder
    dict(type='SMAUGTensorboardVisBackend'),
]
visualizer = dict(type='Visualizer', vis_backends=vis_backends)

log_processor = dict(by_epoch=True, window_size=50)
log_level = 'INFO'
load_from = None
resume = False
randomness = dict(seed=42, deterministic=False)
