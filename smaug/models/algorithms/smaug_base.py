"""SMAUGBase: the encoders and fusion every SMAUG algorithm shares."""
import zlib

import torch
from mmengine.model import BaseModel

from smaug.registry import MODELS


class SMAUGBase(BaseModel):
    """SMAUG's encoders, frame selection and fusion (paper Fig. 2), on
    which the task models put their heads.

    Parts are built through the MODELS registry, each from a random stream
    of its own (one draw of the global RNG and the part's name), and
    registered as Q_v, Q_l, Q_m, Q_t, the task heads, S (the order in which
    ``init_weights`` draws): variants that drop parts (a dense baseline has
    no S and no MVM decoder) start, for a seed, with the same weights in
    every part they share. Parameter names (checkpoint keys) are the
    attribute names.

    Args:
        backbone (dict): Visual encoder Q_v (``SparseMAEViT``).
        text_encoder (dict): Text encoder Q_l (``BertTextEncoder``).
        multimodal_encoder (dict): Q_m (``BertMultimodalEncoder``).
        task_heads (dict): Attribute name -> config; None leaves it None.
        temporal_encoder (dict, optional): Q_t; None for one frame.
        frame_selector (dict, optional): S; None keeps every frame.
        num_selected_frames (int, optional): kappa in training.
        num_test_selected_frames (int, optional): kappa at test.
        data_preprocessor (dict): ``VideoTextDataPreprocessor``.
        init_cfg (dict, optional): Initialisation of the whole model.
    """

    def __init__(self,
                 backbone,
                 text_encoder,
                 multimodal_encoder,
                 task_heads,
                 temporal_encoder=None,
                 frame_selector=None,
                 num_selected_frames=None,
                 num_test_selected_frames=None,
                 data_preprocessor=None,
                 init_cfg=None):
        super().__init__(data_preprocessor=data_preprocessor,
                         init_cfg=init_cfg)
        # one draw of the global CPU RNG, also under torch.device('meta')
        self._stream_seed = int(torch.randint(2**31, (), device='cpu'))
        parts = dict(backbone=backbone, text_encoder=text_encoder,
                     multimodal_encoder=multimodal_encoder,
                     temporal_encoder=temporal_encoder, **task_heads,
                     frame_selector=frame_selector)
        for name, cfg in parts.items():
            setattr(self, name, self._build_part(name, cfg))
        self.num_selected_frames = num_selected_frames
        self.num_test_selected_frames = num_test_selected_frames

    def _build_part(self, name, cfg):
        """Build one part (None for a part switched off) from its own
        random stream, leaving the global RNG as it was."""
        if not cfg:
            return None
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(self._stream_seed + zlib.crc32(name.encode()))
            return MODELS.build(cfg)

    @property
    def may_leave_parameters_unused(self):
        """Whether a step can leave parameters without gradient (an image
        skips Q_t and S); :class:`~smaug.engine.SMAUGRunner` then has DDP look
        for unused parameters.
        """
        return (self.temporal_encoder is not None
                or self.frame_selector is not None)

    def encode_video(self, frames):
        """Q_v then Q_t: (B, K, 3, H, W) frames -> the backbone's
        ``SparseViTOutput`` and tokens (B, K, 1 + T, C).
        """
        visual = self.backbone(frames)
        tokens = visual.tokens
        if self.temporal_encoder is not None:
            tokens = self.temporal_encoder(tokens)
        return visual, tokens

    def select_frames(self, video_tokens, text_cls):
        """The kappa frames S ranks best for each text: tokens
        (n, K, 1 + T, C) and text [CLS] (n, D) -> (n, kappa, 1 + T, C).
        """
        kappa = (self.num_selected_frames
                 if self.training else self.num_test_selected_frames)
        num_frames = video_tokens.shape[1]
        if self.frame_selector is None or kappa is None or \
                kappa >= num_frames:
            return video_tokens
        scores = self.frame_selector(video_tokens[:, :, 0], text_cls)
        return self.frame_selector.select(video_tokens, scores, kappa)

    def fuse(self, video_tokens, text_hidden, text_mask):
        """Q_m over each (clip, text) pair, after frame selection.

        Args:
            video_tokens (Tensor): (n, K, 1 + T, C).
            text_hidden (Tensor): (n, P, D) text encoder states.
            text_mask (Tensor): (n, P).

        Returns:
            Tensor: (n, P, D) fused states, [CLS] first.
        """
        selected = self.select_frames(video_tokens, text_hidden[:, 0])
        return self.multimodal_encoder(text_hidden, text_mask,
                                       selected.flatten(1, 2))
