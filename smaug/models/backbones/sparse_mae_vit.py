"""SparseMAEViT: CLIP's ViT with MAE tube masking and EViT sparsification.

The visual encoder Q_v of SMAUG (paper Sec. 3.1.1, 3.2, App. B). The layout is
OpenAI CLIP's ``VisionTransformer``: a bias-free convolutional patch embedding
(``conv1``), a class embedding, a learned position embedding, ``ln_pre``,
pre-norm residual attention blocks with a QuickGELU MLP (``layers``, CLIP's
``transformer.resblocks``) and ``ln_post``, applied here to every output token.
CLIP's final projection ``proj`` is not part of the backbone (the VTC head has
its own). With ``mask_ratio=0`` and ``keep_rate=1.0`` (or ``sparse_layers=()``)
the forward pass is exactly CLIP's visual tower without that projection.

Pipeline for frames (B, K, 3, H, W); every frame is encoded independently as
one of B*K rows:

1. patch embedding plus position embedding (resized bicubically when the
   input grid differs from ``img_size``'s);
2. in training with ``mask_ratio > 0``, tube masking: one random mask per
   clip, shared by its K frames; only the visible patches enter the blocks;
3. [CLS] (class embedding plus its position embedding) is prepended, then
   ``ln_pre``;
4. the blocks; at each layer in ``sparse_layers`` (1-based) the block's
   attention branch also returns the head-averaged [CLS] attention row
   (computed on its own, one query against all keys), tokens are sparsified
   (EViT: top ``ceil(keep_rate * p)`` kept, the rest fused by attention
   weight and appended), and the block's MLP runs on the reduced tokens;
5. ``ln_post`` on all tokens.

Sparsification is applied in training and at test time alike (as in EViT);
masking only in training. Position embeddings of a loaded checkpoint whose
grid differs from the model's are resized bicubically at load time.
"""
import math

import torch
from mmengine.logging import print_log
from mmengine.model import BaseModule
from mmpretrain.models.utils import resize_pos_embed
from torch import nn
from torch.utils.checkpoint import checkpoint

from smaug.registry import MODELS
from .clip_weights import load_clip_visual_weights
from .sparse_vit_output import SparseViTOutput
from .token_gather import gather_tokens
from .token_sparsification import sparsify_tokens
from .tube_masking import sample_tube_mask
from .vit_block import ResidualAttentionBlock

ARCH_KEYS = ('embed_dims', 'num_layers', 'num_heads', 'feedforward_channels')


@MODELS.register_module()
class SparseMAEViT(BaseModule):
    """CLIP ViT with tube masking and token sparsification.

    Args:
        arch (str | dict): ``'b'``/``'base'`` (ViT-B: 768-d, 12 layers, 12
            heads, MLP 3072), or a dict with keys ``embed_dims``,
            ``num_layers``, ``num_heads``, ``feedforward_channels``.
            Defaults to ``'base'``.
        img_size (int | tuple[int, int]): Resolution the position embedding
            is laid out for; other input resolutions are served by resizing
            it. Defaults to 224.
        patch_size (int): Patch size. Defaults to 16.
        mask_ratio (float): Fraction of patches tube masking removes in
            training, in [0, 1); 0 disables masking. Defaults to 0.5.
        sparse_layers (Sequence[int]): 1-based indices of the blocks that
            sparsify tokens; ``()`` disables sparsification. Defaults to
            ``(4, 7, 10)``.
        keep_rate (float): Keep rate gamma in (0, 1]; 1.0 disables
            sparsification. Defaults to 0.8.
        act_cfg (dict): MLP activation. Defaults to
            ``dict(type='QuickGELU')`` (CLIP's); ``dict(type='GELU')`` for
            the exact GELU.
        with_cp (bool): Activation checkpointing per block in training.
            Defaults to False.
        init_cfg (dict, optional): ``dict(type='Pretrained', checkpoint=...)``
            loads CLIP weights (OpenAI's TorchScript ``.pt``, an open_clip or
            OpenAI state dict, or this backbone's own keys) through
            :func:`load_clip_visual_weights`; optional keys ``prefix`` (load
            only the keys under it, e.g. ``'backbone.'``) and
            ``allow_partial`` (do not fail on unknown or missing keys).
            Other init configs go to mmengine. Defaults to None.
    """

    arch_zoo = {
        **dict.fromkeys(['b', 'base'],
                        dict(embed_dims=768, num_layers=12, num_heads=12,
                             feedforward_channels=3072)),
    }

    def __init__(self,
                 arch='base',
                 img_size=224,
                 patch_size=16,
                 mask_ratio=0.5,
                 sparse_layers=(4, 7, 10),
                 keep_rate=0.8,
                 act_cfg=dict(type='QuickGELU'),
                 with_cp=False,
                 init_cfg=None):
        super().__init__(init_cfg=init_cfg)
        self.arch_settings = self._arch_settings(arch)
        embed_dims = self.arch_settings['embed_dims']
        num_layers = self.arch_settings['num_layers']
        if not 0 <= mask_ratio < 1:
            raise ValueError(f'SparseMAEViT: mask_ratio must be in [0, 1), '
                             f'got {mask_ratio}.')
        if not 0 < keep_rate <= 1:
            raise ValueError(f'SparseMAEViT: keep_rate must be in (0, 1], '
                             f'got {keep_rate}.')
        if any(not 1 <= layer <= num_layers for layer in sparse_layers):
            raise ValueError(
                f'SparseMAEViT: sparse_layers must be 1-based indices in '
                f'[1, {num_layers}], got {tuple(sparse_layers)}.')
        img_size = (img_size, img_size) if isinstance(img_size, int) \
            else tuple(img_size)
        if img_size[0] % patch_size or img_size[1] % patch_size:
            raise ValueError(f'SparseMAEViT: img_size {img_size} is not a '
                             f'multiple of patch_size {patch_size}.')
        self.img_size = img_size
        self.patch_size = patch_size
        self.grid_size = (img_size[0] // patch_size, img_size[1] // patch_size)
        self.mask_ratio = mask_ratio
        self.keep_rate = keep_rate
        self.sparse_layers = tuple(sparse_layers) if keep_rate < 1 else ()
        self.with_cp = with_cp

        scale = embed_dims**-0.5
        num_patches = self.grid_size[0] * self.grid_size[1]
        self.conv1 = nn.Conv2d(3, embed_dims, patch_size, patch_size,
                               bias=False)
        self.class_embedding = nn.Parameter(scale * torch.randn(embed_dims))
        self.positional_embedding = nn.Parameter(
            scale * torch.randn(num_patches + 1, embed_dims))
        self.ln_pre = nn.LayerNorm(embed_dims)
        self.layers = nn.ModuleList([
            ResidualAttentionBlock(embed_dims,
                                   self.arch_settings['num_heads'],
                                   self.arch_settings['feedforward_channels'],
                                   act_cfg=act_cfg)
            for _ in range(num_layers)
        ])
        self.ln_post = nn.LayerNorm(embed_dims)
        self.register_load_state_dict_pre_hook(self._resize_loaded_pos_embed)

    def _arch_settings(self, arch):
        """Resolve ``arch`` to a dict of the four size keys."""
        if isinstance(arch, str):
            if arch.lower() not in self.arch_zoo:
                raise ValueError(
                    f'SparseMAEViT: unknown arch {arch!r}; choose from '
                    f'{sorted(self.arch_zoo)} or pass a dict with keys '
                    f'{ARCH_KEYS}.')
            return dict(self.arch_zoo[arch.lower()])
        missing = [key for key in ARCH_KEYS if key not in arch]
        if missing:
            raise ValueError(
                f'SparseMAEViT: arch dict lacks keys {missing}; it needs '
                f'{ARCH_KEYS}.')
        return {key: arch[key] for key in ARCH_KEYS}

    def init_weights(self):
        """Load CLIP weights for a ``Pretrained`` init_cfg, else defer to
        mmengine (the random init happens at construction, as in CLIP)."""
        if isinstance(self.init_cfg, dict) and \
                self.init_cfg.get('type') == 'Pretrained':
            report = load_clip_visual_weights(
                self,
                self.init_cfg['checkpoint'],
                prefix=self.init_cfg.get('prefix'),
                allow_partial=self.init_cfg.get('allow_partial', False))
            print_log(report.summary(), logger='current')
            self._is_init = True
            return
        super().init_weights()

    def _resize_loaded_pos_embed(self, module, state_dict, prefix, *args):
        """Resize a loaded position embedding to this model's grid."""
        key = prefix + 'positional_embedding'
        if key not in state_dict:
            return
        loaded = state_dict[key]
        num_patches = loaded.shape[0] - 1
        if num_patches == self.positional_embedding.shape[0] - 1:
            return
        side = math.isqrt(num_patches)
        if side * side != num_patches:
            raise ValueError(
                f'SparseMAEViT: cannot resize the loaded {key} of length '
                f'{loaded.shape[0]}: {num_patches} patches is not a square '
                'grid.')
        state_dict[key] = resize_pos_embed(
            loaded[None], (side, side), self.grid_size)[0]
        print_log(f'SparseMAEViT: resized the loaded {key} from a '
                  f'{side}x{side} to a {self.grid_size[0]}x'
                  f'{self.grid_size[1]} grid (bicubic).', logger='current')

    def _positional_embedding(self, grid_size):
        """Position embedding (1 + N, C) for a patch grid of ``grid_size``."""
        if tuple(grid_size) == self.grid_size:
            return self.positional_embedding
        return resize_pos_embed(self.positional_embedding[None],
                                self.grid_size, tuple(grid_size))[0]

    def _run_layer(self, layer, x, positions, sparsify):
        """Run one block, sparsifying between its two branches if asked.

        Returns:
            tuple: tokens, positions, and the [CLS] attention over the
            incoming non-[CLS] tokens (None without sparsification).
        """
        if not sparsify:
            return layer(x), positions, None
        x, cls_attention = layer.attention_residual(
            x, return_cls_attention=True)
        x, positions = sparsify_tokens(x, cls_attention, positions,
                                       self.keep_rate)
        return layer.mlp_residual(x), positions, cls_attention[:, 1:]

    def forward(self, frames):
        """Encode every frame of every clip.

        Args:
            frames (Tensor): Normalised frames, shape (B, K, 3, H, W), with H
                and W multiples of ``patch_size``.

        Returns:
            SparseViTOutput: tokens (B, K, 1 + T, C), token_positions
            (B, K, T), mask (B, N), and per sparsification layer the [CLS]
            attention and output positions.
        """
        if frames.dim() != 5 or frames.shape[2] != 3:
            raise ValueError(
                'SparseMAEViT: frames must have shape (B, K, 3, H, W), got '
                f'{tuple(frames.shape)}.')
        batch_size, num_frames, _, height, width = frames.shape
        if height % self.patch_size or width % self.patch_size:
            raise ValueError(
                f'SparseMAEViT: frame size {height}x{width} is not a multiple '
                f'of patch_size {self.patch_size}.')
        rows = batch_size * num_frames
        x = self.conv1(frames.flatten(0, 1))
        pos_embed = self._positional_embedding(x.shape[-2:]).to(x.dtype)
        x = x.flatten(2).transpose(1, 2) + pos_embed[1:]
        num_patches = x.shape[1]

        if self.training and self.mask_ratio > 0:
            mask, visible = sample_tube_mask(batch_size, num_patches,
                                             self.mask_ratio, x.device)
            positions = visible.repeat_interleave(num_frames, dim=0)
            x = gather_tokens(x, positions)
        else:
            mask = torch.zeros(batch_size, num_patches, dtype=torch.bool,
                               device=x.device)
            positions = torch.arange(
                num_patches, device=x.device).expand(rows, -1)

        cls_token = (self.class_embedding.to(x.dtype) + pos_embed[0])
        x = torch.cat([cls_token.expand(rows, 1, -1), x], dim=1)
        x = self.ln_pre(x)

        cls_attention, layer_positions = [], []
        for index, layer in enumerate(self.layers, start=1):
            sparsify = index in self.sparse_layers
            if self.with_cp and self.training and x.requires_grad:
                x, positions, attention = checkpoint(
                    self._run_layer, layer, x, positions, sparsify,
                    use_reentrant=False)
            else:
                x, positions, attention = self._run_layer(
                    layer, x, positions, sparsify)
            if sparsify:
                cls_attention.append(
                    attention.view(batch_size, num_frames, -1))
                layer_positions.append(
                    positions.reshape(batch_size, num_frames, -1))
        x = self.ln_post(x)
        return SparseViTOutput(
            tokens=x.view(batch_size, num_frames, x.shape[1], -1),
            token_positions=positions.reshape(batch_size, num_frames, -1),
            mask=mask,
            cls_attention=cls_attention,
            layer_positions=layer_positions)
