"""The dataset config of a pre-training corpus laid out as
``data/<name>/{videos|images}`` with ``annotations/<name>_train.json``
(data/README.md), so that the configs name a corpus instead of restating
its paths."""


def pretrain_corpus(name, medium, pipeline, media_format):
    """The ``VideoTextPretrainDataset`` config of the corpus ``name``.

    Args:
        name (str): The corpus (``'webvid'``, ``'cc3m'``, ...).
        medium (str): ``'video'`` or ``'image'``.
        pipeline (list[dict]): Its training pipeline.
        media_format (str): ``'loose'`` or ``'shards'``.
    """
    return dict(
        type='VideoTextPretrainDataset',
        data_root=f'data/{name}',
        data_prefix={medium: f'{medium}s'},
        ann_file=f'annotations/{name}_train.json',
        media_format=media_format,
        pipeline=pipeline)
