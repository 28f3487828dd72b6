"""A stack of residual attention blocks run one after the other."""
from torch import nn
from torch.utils.checkpoint import checkpoint

from .vit_block import ResidualAttentionBlock


class ResidualAttentionStack(nn.ModuleList):
    """``num_layers`` :class:`ResidualAttentionBlock` s in turn (the
    temporal encoder's and the MAE decoder's Transformer), keyed ``0``, ``1``,
    ... as an ``nn.ModuleList``.

    Args:
        num_layers (int): Blocks.
        embed_dims (int): Token width.
        num_heads (int): Attention heads.
        feedforward_channels (int): MLP width.
        act_cfg (dict): MLP activation.
        with_cp (bool): Activation checkpointing in training.
            Defaults to False.
    """

    def __init__(self, num_layers, embed_dims, num_heads,
                 feedforward_channels, act_cfg, with_cp=False):
        super().__init__(
            ResidualAttentionBlock(embed_dims, num_heads,
                                   feedforward_channels, act_cfg=act_cfg)
            for _ in range(num_layers))
        self.with_cp = with_cp

    def forward(self, x):
        """(N, L, embed_dims) -> (N, L, embed_dims)."""
        for block in self:
            if self.with_cp and self.training and x.requires_grad:
                x = checkpoint(block, x, use_reentrant=False)
            else:
                x = block(x)
        return x
