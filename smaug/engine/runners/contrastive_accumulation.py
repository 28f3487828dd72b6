"""Refuse mmengine's gradient accumulation for contrastive models.

``optim_wrapper.accumulative_counts=N`` runs N separate forward passes and
sums their losses before one update. VTC then contrasts each clip with
its own micro-batch only, and VTM draws its hard negatives there: the
update is not the gradient of the N micro-batches taken as one batch, and
the loss is a different (easier) one. ``SMAUGPretrain(micro_batches=N)``
is the exact path: the whole batch's VTC, VTM, MLM and MVM, with one
micro-batch's activation memory.
"""
from smaug.config import ConfigError


def check_contrastive_accumulation(cfg):
    """Raise a :class:`ConfigError` when ``cfg`` accumulates the gradient
    of a model with a VTC head through ``accumulative_counts``.

    Args:
        cfg (mmengine.Config | dict): The full config.
    """
    counts = (cfg.get('optim_wrapper') or {}).get('accumulative_counts', 1)
    if counts == 1 or 'vtc_head' not in (cfg.get('model') or {}):
        return
    source = getattr(cfg, 'filename', None) or 'the config'
    raise ConfigError(
        f'{source}: optim_wrapper.accumulative_counts={counts} sums the '
        f'losses of {counts} separate micro-batches, so VTC contrasts each '
        'clip with its own micro-batch only and VTM draws its negatives '
        'there: not the gradient of the whole batch. Remove '
        'accumulative_counts, give train_dataloader the whole batch and set '
        f'model.micro_batches={counts} (exact: every loss over the whole '
        'batch, one micro-batch\'s activation memory).')
