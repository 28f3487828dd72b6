"""MAEPixelDecoder: the MAE decoder D_v and the MVM pixel loss."""
import torch
from mmengine.model import BaseModule
from torch import nn

from smaug.models.backbones import ResidualAttentionStack
from smaug.registry import MODELS
from .patchify import patchify
from .sincos_position_embedding import sincos_position_embedding_2d


@MODELS.register_module()
class MAEPixelDecoder(BaseModule):
    """Light MAE decoder: the encoder's surviving tokens go back on their
    frame's patch grid, a shared mask token fills the masked and pruned
    places (fused tokens are dropped), and ``depth`` blocks predict every
    patch's pixels. Frames are decoded independently; the position
    embedding is a fixed 2D sine-cosine table.

    Args:
        in_channels (int): Encoder token width. Defaults to 768.
        embed_dims (int): Decoder width. Defaults to 512 (MAE's).
        depth (int): Blocks. Defaults to 3 (paper; Table 11: 1, 3, 6, 12).
        num_heads (int): Attention heads. Defaults to 16.
        feedforward_channels (int): MLP width. Defaults to 2048.
        img_size (int | tuple[int, int]): Sets the default grid.
            Defaults to 224.
        patch_size (int): Patch side p. Defaults to 16.
        norm_pix_loss (bool): Normalise each target patch by its mean and
            variance, as MAE. Defaults to True.
        act_cfg (dict): MLP activation. Defaults to GELU.
        with_cp (bool): Activation checkpointing per block. Defaults to False.
        init_cfg (dict, optional): Initialisation config.
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
        """Predicted pixels (B, K, N, p * p * 3) of every patch.

        Args:
            tokens (Tensor): (B, K, 1 + T, C_in) encoder output, [CLS] first.
            token_positions (Tensor): (B, K, T) grid index of each token, -1
                for fused tokens.
            grid_size (tuple[int, int], optional): When not ``img_size``'s.
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
        """Mean squared error over the masked patches of all frames.

        Args:
            pred (Tensor): (B, K, N, p * p * 3) from :meth:`forward`.
            frames (Tensor): (B, K, 3, H, W) normalised frames.
            mask (Tensor): (B, N) bool, True at masked patches.

        Returns:
            Tensor: Scalar; 0 when nothing is masked.
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
