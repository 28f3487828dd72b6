"""Resume a killed run so that it trains exactly as if never interrupted."""
from mmengine.hooks import Hook
from mmengine.runner import EpochBasedTrainLoop

from smaug.datasets.sample_seeding import derive_seed, seed_global_rngs
from smaug.registry import HOOKS


def seeded_datasets(dataset):
    """The datasets under ``dataset`` (through wrappers with ``dataset``
    or ``datasets``, e.g. ``ConcatDataset``) that have a ``sample_seeding``.

    Args:
        dataset (Dataset): A dataloader's dataset.
    """
    if hasattr(dataset, 'sample_seeding'):
        return [dataset]
    if hasattr(dataset, 'dataset'):
        return seeded_datasets(dataset.dataset)
    if hasattr(dataset, 'datasets'):
        return [part for child in dataset.datasets
                for part in seeded_datasets(child)]
    return []


@HOOKS.register_module()
class ExactResumeHook(Hook):
    """Make ``--resume`` after a crash continue exactly where the
    checkpoint left off, mid-epoch included.

    mmengine restores the weights, the optimizer (with the AMP loss
    scaler), the parameter schedulers, the message hub and the iteration
    counters. Three things it leaves out, this hook supplies:

    - The training step's random numbers (tube masks, Gumbel noise, hard
      negatives, MLM masking): before every iteration, Python's, NumPy's and
      torch's generators (CUDA included) are seeded from ``(seed, rank,
      iteration)``. Nothing has to be saved, a resumed run draws the same
      numbers, and every rank draws its own.
    - The data's random augmentation, which runs in dataloader workers:
      each sample of a dataset with ``sample_seeding`` (smaug's datasets) is
      loaded with the random state of ``(seed, epoch, dataset, index)``
      (:class:`~smaug.datasets.sample_seeding.SampleSeeding`).
    - The position in the epoch: a checkpoint saved every N iterations
      stores how many batches of its epoch were trained on; on resume, the
      batch sampler leaves them out (``skip_batches``, e.g.
      :class:`~smaug.datasets.CorpusBatchSampler`) without loading them.
      A batch sampler without ``skip_batches`` restarts the epoch (mmengine's
      behaviour) with a warning.

    The data order itself is a function of ``(seed, epoch)`` in mmengine's
    and smaug's samplers. Made for ``EpochBasedTrainLoop``; the seeding also
    helps other loops. ``load_from`` (fine-tuning) is not a resume and skips
    nothing.
    """
    priority = 'HIGH'

    def __init__(self):
        self._skip = 0  # batches the sampler leaves out of the coming epoch
        self._consumed = 0  # batches of the current epoch trained on

    def before_train(self, runner):
        """Turn on per-sample seeding of the training datasets.

        Args:
            runner (Runner): The runner.
        """
        datasets = seeded_datasets(runner.train_dataloader.dataset)
        for dataset in datasets:
            dataset.sample_seeding.enable(runner.seed)
        if not datasets:
            runner.logger.warning(
                'ExactResumeHook: the training dataset has no sample_seeding '
                '(not a smaug dataset); random augmentation in dataloader '
                'workers is not reproduced on resume.')

    def before_train_epoch(self, runner):
        """Give the datasets the epoch, start counting its batches.

        Args:
            runner (Runner): The runner.
        """
        for dataset in seeded_datasets(runner.train_dataloader.dataset):
            dataset.sample_seeding.set_epoch(runner.epoch)
        self._consumed, self._skip = self._skip, 0

    def before_train_iter(self, runner, batch_idx, data_batch=None):
        """Seed the step's random numbers from (seed, rank, iteration).

        Args:
            runner (Runner): The runner.
            batch_idx (int): Index of the batch in this (possibly resumed)
                epoch.
            data_batch (dict, optional): The batch.
        """
        seed_global_rngs(derive_seed(runner.seed, runner.rank, runner.iter))

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None):
        """Count the batch (before any checkpoint of this iteration); the
        arguments are mmengine's."""
        self._consumed += 1

    def before_save_checkpoint(self, runner, checkpoint):
        """Store the position in the epoch.

        Args:
            runner (Runner): The runner.
            checkpoint (dict): The checkpoint being saved.
        """
        checkpoint['meta']['data_position'] = dict(
            epoch=runner.epoch, batches=self._consumed,
            world_size=runner.world_size)

    def after_load_checkpoint(self, runner, checkpoint):
        """On resume, make the sampler skip the batches already trained on.

        Args:
            runner (Runner): The runner.
            checkpoint (dict): The loaded checkpoint.
        """
        if not runner._resume or not isinstance(runner.train_loop,
                                                EpochBasedTrainLoop):
            return
        meta = checkpoint['meta']
        position = meta.get('data_position')
        if position is None:
            runner.logger.warning(
                'ExactResumeHook: the checkpoint has no data position (it '
                'was written without this hook); its epoch restarts from '
                'the first batch.')
            return
        if position['epoch'] != meta['epoch'] or position['batches'] == 0:
            return  # saved at the end of an epoch: the next starts whole
        if position['world_size'] != runner.world_size:
            runner.logger.warning(
                f'ExactResumeHook: the checkpoint was written by '
                f'{position["world_size"]} processes, this run has '
                f'{runner.world_size}; epoch {meta["epoch"] + 1} restarts '
                'from its first batch.')
            return
        batch_sampler = runner.train_dataloader.batch_sampler
        if not hasattr(batch_sampler, 'skip_batches'):
            runner.logger.warning(
                f'ExactResumeHook: {type(batch_sampler).__name__} cannot '
                'skip batches; epoch '
                f'{meta["epoch"] + 1} restarts from its first batch (its '
                f'first {position["batches"]} batches are trained on again).')
            return
        batch_sampler.skip_batches(position['batches'])
        self._skip = position['batches']
        runner.logger.info(
            f'ExactResumeHook: resuming epoch {meta["epoch"] + 1} after its '
            f'first {position["batches"]} batches.')
