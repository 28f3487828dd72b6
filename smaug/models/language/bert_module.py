"""BERT's random initialisation, and the base class of the modules whose
weights can come from a BERT checkpoint."""
from functools import partial

from mmengine.model import BaseModule
from mmengine.model.weight_init import update_init_info
from mmengine.registry import DefaultScope
from torch import nn

from smaug.registry import WEIGHT_INITIALIZERS


def bert_random_init(module, std=0.02):
    """BERT's random initialisation of one module (used with ``apply``).

    Linear and Embedding weights ~ N(0, std) (the [PAD] row of an embedding
    with ``padding_idx`` is zeroed), biases 0, LayerNorm weight 1, bias 0.

    Args:
        module (nn.Module): The module to initialise; others are skipped.
        std (float): Standard deviation. Defaults to 0.02 (BERT's
            ``initializer_range``).
    """
    if isinstance(module, (nn.Linear, nn.Embedding)):
        nn.init.normal_(module.weight, mean=0., std=std)
    if isinstance(module, nn.Linear) and module.bias is not None:
        nn.init.zeros_(module.bias)
    if isinstance(module, nn.Embedding) and module.padding_idx is not None:
        nn.init.zeros_(module.weight[module.padding_idx])
    if isinstance(module, nn.LayerNorm):
        nn.init.ones_(module.weight)
        nn.init.zeros_(module.bias)


@WEIGHT_INITIALIZERS.register_module(name='BertRandomInit')
class BertRandomInit:
    """``init_cfg=dict(type='BertRandomInit')``: :func:`bert_random_init` on
    every sub-module.

    Args:
        std (float): Standard deviation. Defaults to 0.02.
    """

    def __init__(self, std=0.02):
        self.std = std

    def __call__(self, module):
        module.apply(partial(bert_random_init, std=self.std))
        if hasattr(module, '_params_init_info'):
            update_init_info(module, f'BertRandomInit: N(0, {self.std})')


class BertBaseModule(BaseModule):
    """A BaseModule that starts from BERT's random initialisation.

    ``BertRandomInit`` is put before the given ``init_cfg``, so blocks that
    no checkpoint covers (e.g. cross-attention) get BERT's initialisation and
    the others are then overwritten by the checkpoint. The ``init_cfg`` types
    are looked up in the current default scope, or in ``smaug``'s registry
    when none is set, so ``type='PretrainedBERT'`` works both under a Runner
    and in a plain script.

    Subclasses set ``bert_part``, the part of a BERT checkpoint they hold:
    ``'text'``, ``'multimodal'`` or ``'mlm_head'`` (see
    :class:`~smaug.models.language.PretrainedBERTInit`).

    Args:
        init_cfg (dict | list[dict], optional): mmengine initialisation
            config, e.g. ``dict(type='PretrainedBERT',
            checkpoint='bert-base-uncased')``.
    """
    bert_part = None

    def __init__(self, init_cfg=None):
        if init_cfg is None:
            init_cfg = []
        elif isinstance(init_cfg, dict):
            init_cfg = [init_cfg]
        super().__init__(init_cfg=[dict(type='BertRandomInit'), *init_cfg])

    def init_weights(self):
        """Apply ``init_cfg`` with smaug's registry as the fallback scope."""
        scope = None if DefaultScope.get_current_instance() else 'smaug'
        with DefaultScope.overwrite_default_scope(scope):
            super().init_weights()
