"""The base of the BERT modules made of a stack of BERT layers."""
from torch import nn

from .bert_arch import resolve_bert_arch
from .bert_layer import BertLayer
from .bert_module import BertBaseModule


class BertLayerStack(BertBaseModule):
    """A :class:`BertBaseModule` of ``num_layers`` layers of one BERT arch
    (text encoder, multimodal encoder, answer decoder); subclasses call
    :meth:`make_layers` where the layers are to be registered.

    Args:
        arch (str | dict): BERT size (``resolve_bert_arch``).
        num_layers (int): A positive int.
        init_cfg (dict | list[dict], optional): See :class:`BertBaseModule`.
    """

    def __init__(self, arch, num_layers, init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        if not isinstance(num_layers, int) or num_layers < 1:
            raise ValueError(
                f'{type(self).__name__}: num_layers must be a positive int, '
                f'got {num_layers!r}.')
        self.arch_settings = resolve_bert_arch(arch)
        self.embed_dims = self.arch_settings['hidden_size']
        self.num_layers = num_layers

    def make_layers(self, encoder_width=None, with_cp=False):
        """The ``num_layers`` layers (nn.ModuleList), cross-attending to
        tokens of ``encoder_width`` (None: none).
        """
        return nn.ModuleList(
            BertLayer.from_arch(self.arch_settings,
                                encoder_width=encoder_width,
                                with_cp=with_cp)
            for _ in range(self.num_layers))
