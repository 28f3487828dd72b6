"""Base class of the modules whose weights can come from a BERT checkpoint."""
from mmengine.model import BaseModule
from mmengine.model.weight_init import update_init_info
from mmengine.registry import DefaultScope
from torch import nn


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


class BertBaseModule(BaseModule):
    """A BaseModule that starts from BERT's random initialisation.

    ``init_weights`` first applies :func:`bert_random_init` to every
    sub-module (so blocks that no checkpoint covers, e.g. cross-attention, get
    BERT's initialisation), then the ``init_cfg`` as mmengine does. The
    ``init_cfg`` types are looked up in the current default scope, or in
    ``smaug``'s registry when none is set, so ``type='PretrainedBERT'`` works
    both under a Runner and in a plain script.

    Subclasses set ``bert_part``, the part of a BERT checkpoint they hold:
    ``'text'``, ``'multimodal'`` or ``'mlm_head'`` (see
    :class:`~smaug.models.language.PretrainedBERTInit`).

    Args:
        init_cfg (dict | list[dict], optional): mmengine initialisation
            config, e.g. ``dict(type='PretrainedBERT',
            checkpoint='bert-base-uncased')``.
    """
    bert_part = None

    def init_weights(self):
        """BERT's random init, then ``init_cfg``."""
        if not self.is_init:
            self.apply(bert_random_init)
            if hasattr(self, '_params_init_info'):
                update_init_info(self, 'bert_random_init: N(0, 0.02)')
        scope = None if DefaultScope.get_current_instance() else 'smaug'
        with DefaultScope.overwrite_default_scope(scope):
            super().init_weights()
