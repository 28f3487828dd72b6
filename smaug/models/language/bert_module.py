"""BERT's random initialisation, and the base class of the modules whose
weights can come from a BERT checkpoint."""
from functools import partial

from mmengine.model import BaseModule
from mmengine.model.weight_init import update_init_info
from mmengine.registry import DefaultScope
from torch import nn

from smaug.registry import WEIGHT_INITIALIZERS


def bert_random_init(module, std=0.02):
    """BERT's random initialisation of one module (for ``apply``): Linear
    and Embedding weights ~ N(0, std) ([PAD] row zeroed), biases 0,
    LayerNorm 1 and 0.
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
    """``init_cfg=dict(type='BertRandomInit', std=0.02)``:
    :func:`bert_random_init` on every sub-module.
    """

    def __init__(self, std=0.02):
        self.std = std

    def __call__(self, module):
        module.apply(partial(bert_random_init, std=self.std))
        if hasattr(module, '_params_init_info'):
            update_init_info(module, f'BertRandomInit: N(0, {self.std})')


class BertBaseModule(BaseModule):
    """A BaseModule whose ``init_cfg`` runs after ``BertRandomInit``, so
    parts no checkpoint covers (cross-attention) get BERT's initialisation.
    Subclasses name in ``bert_part`` the part of a BERT checkpoint they hold
    (``'text'``, ``'multimodal'``, ``'mlm_head'``).

    Args:
        init_cfg (dict | list[dict], optional): e.g.
            ``dict(type='PretrainedBERT', checkpoint='bert-base-uncased')``.
    """
    bert_part = None

    def __init__(self, init_cfg=None):
        if init_cfg is None:
            init_cfg = []
        elif isinstance(init_cfg, dict):
            init_cfg = [init_cfg]
        super().__init__(init_cfg=[dict(type='BertRandomInit'), *init_cfg])

    def init_weights(self):
        """Apply ``init_cfg``, with smaug's registry when no scope is set."""
        scope = None if DefaultScope.get_current_instance() else 'smaug'
        with DefaultScope.overwrite_default_scope(scope):
            super().init_weights()
