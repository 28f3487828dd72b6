"""The dataloader configs of the configs: a dataset config wrapped with
the worker and sampler settings of its kind of run, in one call, so that
the configs do not restate them per loader.

Two styles, as in :mod:`smaug.datasets.pipeline_configs`:

- ``'paper'``: GPU runs on the paper's data, 8 persistent workers per
  process with pinned memory.
- ``'synthetic'``: CPU runs on the synthetic corpus, 2 persistent workers.
"""

#: Per style: the worker settings of a loader.
WORKERS = dict(
    paper=dict(num_workers=8, persistent_workers=True, pin_memory=True),
    synthetic=dict(num_workers=2, persistent_workers=True))


def dataloader(dataset, batch_size, shuffle, style='paper', **entries):
    """A dataloader config drawing ``dataset`` with mmengine's
    DefaultSampler.

    Args:
        dataset (dict): The dataset config.
        batch_size (int): Samples per batch and process.
        shuffle (bool): True to shuffle (training), False for a test pass.
        style (str): ``'paper'`` or ``'synthetic'``, see :data:`WORKERS`.
        **entries: More loader entries (``batch_sampler``, ...).
    """
    return dict(batch_size=batch_size, **WORKERS[style],
                sampler=dict(type='DefaultSampler', shuffle=shuffle),
                dataset=dataset, **entries)
