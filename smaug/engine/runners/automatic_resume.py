"""A training restarted by its launcher resumes by itself.

torchrun restarts all training processes when one fails (``--max-restarts``,
``tools/dist_train.sh``'s ``MAX_RESTARTS``) and Slurm runs a requeued job's
script again (``scontrol requeue``): both run the command they ran first,
without ``--resume``, which would train from scratch over the checkpoints.
A restarted process (``TORCHELASTIC_RESTART_COUNT`` or
``SLURM_RESTART_COUNT`` above 0) therefore resumes from the latest
checkpoint of its work_dir, when there is one (also if the first start
resumed from a given checkpoint: the work_dir's is newer); without one (it
failed before its first save) it starts as the first attempt did, from
``load_from`` if the config gives one.
"""
from mmengine.runner.checkpoint import find_latest_checkpoint

RESTART_COUNTERS = (('TORCHELASTIC_RESTART_COUNT', 'torchrun restart'),
                    ('SLURM_RESTART_COUNT', 'Slurm requeue'))


def restart_reason(environ):
    """Why this process runs again, if it does.

    Args:
        environ (Mapping[str, str]): The environment.

    Returns:
        str | None: e.g. ``'torchrun restart 1 of 3'``; None for a first
        start.
    """
    for variable, name in RESTART_COUNTERS:
        count = int(environ.get(variable) or 0)
        if count > 0:
            limit = environ.get('TORCHELASTIC_MAX_RESTARTS') \
                if variable.startswith('TORCHELASTIC') else None
            return f'{name} {count}' + (f' of {limit}' if limit else '')
    return None


def resume_if_restarted(cfg, environ):
    """Make a restarted training resume from its work_dir's latest
    checkpoint (the config is changed in place).

    Args:
        cfg (mmengine.Config): The full config (with ``work_dir``).
        environ (Mapping[str, str]): The environment.

    Returns:
        str | None: The restart (:func:`restart_reason`) when the training
        resumes because of it, else None.
    """
    reason = restart_reason(environ)
    if reason is None or find_latest_checkpoint(cfg.work_dir) is None:
        return None
    cfg.resume = True
    cfg.load_from = None
    return reason
