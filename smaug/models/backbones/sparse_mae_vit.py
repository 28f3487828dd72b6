"""SparseMAEViT: CLIP's ViT with MAE tube masking and EViT sparsification."""
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
    """The visual encoder Q_v (paper Sec. 3.1.1, 3.2, App. B) in OpenAI
    CLIP's layout (``conv1``, ``class_embedding``, ``positional_embedding``,
    ``ln_pre``, ``layers``, ``ln_post`` on every token; no ``proj``).

    Every frame is a row. In training, tube masking keeps the same visible
    patches in all frames of a clip; at blocks ``sparse_layers`` the tokens
    are sparsified between the attention and MLP branches (training and
    test). With ``mask_ratio=0`` and no sparsification it is CLIP's visual
    tower. Position embeddings are resized bicubically for other grids.

    Args:
        arch (str | dict): ``'base'`` (ViT-B) or a dict of ``embed_dims``,
            ``num_layers``, ``num_heads``, ``feedforward_channels``.
        img_size (int | tuple[int, int]): Grid of the position embedding.
            Defaults to 224.
        patch_size (int): Defaults to 16.
        mask_ratio (float): Share of patches masked in training, in [0, 1).
            Defaults to 0.5.
        sparse_layers (Sequence[int]): 1-based blocks that sparsify.
            Defaults to (4, 7, 10).
        keep_rate (float): gamma in (0, 1]. Defaults to 0.8.
        act_cfg (dict): MLP activation. Defaults to QuickGELU (CLIP's).
        with_cp (bool): Activation checkpointing per block. Defaults to False.
        init_cfg (dict, optional): ``dict(type='Pretrained', checkpoint=...)``
            loads CLIP weights (:func:`load_clip_visual_weights`; optional
            ``prefix`` and ``allow_partial``).
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
        """CLIP weights for a ``Pretrained`` init_cfg, else mmengine's."""
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
        """One block, sparsifying between its branches if asked: tokens,
        positions and the [CLS] attention (None without sparsification).
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
            frames (Tensor): (B, K, 3, H, W), H and W multiples of the patch.

        Returns:
            SparseViTOutput: tokens (B, K, 1 + T, C), positions (B, K, T), mask
            (B, N), and per sparsification layer its [CLS] attention and
            output positions.
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
