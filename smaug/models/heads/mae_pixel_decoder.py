"""MAEPixelDecoder: the MAE decoder D_v and the MVM pixel loss.

The encoder's surviving tokens are embedded by a linear layer and placed on
the full N-patch grid of their frame at their ``token_positions``; every
other position (masked by tube masking, or pruned by sparsification) gets a
shared learned mask token. Fused tokens (position -1) have no place on the
grid and are dropped; the [CLS] token is kept in front, as in MAE. A position
embedding is added, ``depth`` Transformer blocks, a LayerNorm and a linear
layer then predict the ``p * p * 3`` pixels of every patch. Frames are
decoded independently (B * K rows).

Decisions where the paper is silent:

- The decoder's position embedding is MAE's fixed 2D sine-cosine table. It is
  defined for any grid, so inputs at 288 or 336 need no interpolation, and it
  adds no parameters to a module discarded after pre-training.
- The loss is averaged over the masked patches of all frames. Pruned but
  visible patches are not in the loss (their pixels were seen). When nothing
  is masked the loss is 0 (still attached to the graph, zero gradient),
  because checking for that case would cost a host-device sync and a
  mask-free step (mask ratio 0) legitimately has nothing to reconstruct.
- ``norm_pix_loss`` normalises each target patch by its own mean and
  (unbiased) variance, as MAE does.
"""
import torch
from mmengine.model import BaseModule
from torch import nn

from smaug.models.backbones import ResidualAttentionStack
from smaug.registry import MODELS
from .patchify import patchify
from .sincos_position_embedding import sincos_position_embedding_2d


@MODELS.register_module()
class MAEPixelDecoder(BaseModule):
    """Lightweight MAE decoder predicting patch pixels.

    Args:
        in_channels (int): Encoder token dimension. Defaults to 768.
        embed_dims (int): Decoder width. Defaults to 512 (MAE's).
        depth (int): Number of Transformer blocks. Defaults to 3 (paper);
            Table 11 uses 1, 3, 6, 12.
        num_heads (int): Attention heads. Defaults to 16 (MAE's).
        feedforward_channels (int): MLP hidden width. Defaults to 2048.
        img_size (int | tuple[int, int]): Frame size that sets the default
            patch grid. Defaults to 224.
        patch_size (int): Patch side p. Defaults to 16.
        norm_pix_loss (bool): Normalise each target patch by its mean and
            std. Defaults to True.
        act_cfg (dict): MLP activation. Defaults to ``dict(type='GELU')``.
        with_cp (bool): Activation checkpointing per block in training.
            Defaults to False.
        init_cfg (dict, optional): mmengine init config. Defaults to None.
    """

    def __init__(self,
                 in_channels=768,
                 embed_dims=512,
                 depth=3,
                 num_heads=16,
                 feedforward_channels=2048,
                 img_size=224,
                 patch_size=16,
                 norm_pix_loss=True,
                 act_cfg=dict(type='GELU'),
                 with_cp=False,
                 init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        img_size = (img_size, img_size) if isinstance(img_size, int) \
            else tuple(img_size)
        self.grid_size = (img_size[0] // patch_size, img_size[1] // patch_size)
        self.patch_size = patch_size
        self.norm_pix_loss = norm_pix_loss
        self.decoder_embed = nn.Linear(in_channels, embed_dims)
        self.mask_token = nn.Parameter(torch.zeros(1, 1, embed_dims))
        self.layers = ResidualAttentionStack(depth, embed_dims, num_heads,
                                             feedforward_channels, act_cfg,
                                             with_cp)
        self.norm = nn.LayerNorm(embed_dims)
        self.head = nn.Linear(embed_dims, patch_size * patch_size * 3)
        self.register_buffer(
            'pos_embed',
            sincos_position_embedding_2d(self.grid_size, embed_dims),
            persistent=False)
        nn.init.normal_(self.mask_token, std=0.02)
        for module in self.modules():
            if isinstance(module, nn.Linear):
                nn.init.xavier_uniform_(module.weight)
                nn.init.zeros_(module.bias)

    def _pos_embed(self, grid_size):
        """Position embedding (N, D) of a patch grid."""
        if tuple(grid_size) == self.grid_size:
            return self.pos_embed
        return sincos_position_embedding_2d(
            grid_size, self.pos_embed.shape[1]).to(self.pos_embed.device)

    def forward(self, tokens, token_positions, grid_size=None):
        """Predict the pixels of every patch of every frame.

        Args:
            tokens (Tensor): Encoder output, (B, K, 1 + T, C_in), [CLS]
                first.
            token_positions (Tensor): (B, K, T) long, grid index of each
                non-[CLS] token, -1 for fused tokens.
            grid_size (tuple[int, int], optional): Patch grid of the frames
                when it differs from ``img_size``'s. Defaults to None.

        Returns:
            Tensor: Predicted patch pixels, (B, K, N, p * p * 3).
        """
        if tokens.dim() != 4 or token_positions.shape != tokens.shape[:2] + (
                tokens.shape[2] - 1, ):
            raise ValueError(
                'MAEPixelDecoder: expected tokens (B, K, 1 + T, C) and '
                'token_positions (B, K, T), got '
                f'{tuple(tokens.shape)} and {tuple(token_positions.shape)}.')
        batch_size, num_frames = tokens.shape[:2]
        grid_size = tuple(grid_size or self.grid_size)
        num_patches = grid_size[0] * grid_size[1]
        x = self.decoder_embed(tokens.flatten(0, 1))
        rows, _, dims = x.shape
        # Fused tokens (-1) are written to an extra slot that is dropped.
        slots = token_positions.flatten(0, 1)
        slots = slots.masked_fill(slots < 0, num_patches)
        grid = self.mask_token.to(x.dtype).expand(rows, num_patches + 1, dims)
        grid = grid.scatter(1, slots.unsqueeze(-1).expand(-1, -1, dims),
                            x[:, 1:])
        patches = grid[:, :num_patches] + self._pos_embed(grid_size).to(
            x.dtype)
        x = torch.cat([x[:, :1], patches], dim=1)
        x = self.layers(x)
        pred = self.head(self.norm(x[:, 1:]))
        return pred.view(batch_size, num_frames, num_patches, -1)

    def loss(self, pred, frames, mask):
        """Mean squared error on the masked patches.

        Args:
            pred (Tensor): Output of :meth:`forward`, (B, K, N, p * p * 3).
            frames (Tensor): The normalised input frames, (B, K, 3, H, W).
            mask (Tensor): (B, N) bool, True at masked patches (the
                backbone's ``SparseViTOutput.mask``).

        Returns:
            Tensor: Scalar loss, averaged over masked patches (0 when none
            is masked).
        """
        batch_size, num_frames = frames.shape[:2]
        target = patchify(frames.flatten(0, 1), self.patch_size)
        target = target.view(batch_size, num_frames, *target.shape[1:])
        if pred.shape != target.shape or mask.shape != (batch_size,
                                                         target.shape[2]):
            raise ValueError(
                'MAEPixelDecoder.loss: pred, frames and mask do not match: '
                f'pred {tuple(pred.shape)}, patchified frames '
                f'{tuple(target.shape)}, mask {tuple(mask.shape)}.')
        target = target.float()
        if self.norm_pix_loss:
            mean = target.mean(dim=-1, keepdim=True)
            var = target.var(dim=-1, keepdim=True)
            target = (target - mean) / (var + 1e-6).sqrt()
        per_patch = (pred.float() - target).pow(2).mean(dim=-1)
        weight = mask[:, None].expand_as(per_patch).to(per_patch.dtype)
        return (per_patch * weight).sum() / weight.sum().clamp(min=1)
