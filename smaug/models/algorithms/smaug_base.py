"""SMAUGBase: the encoders and fusion every SMAUG algorithm shares."""
from mmengine.model import BaseModel

from smaug.registry import MODELS


class SMAUGBase(BaseModel):
    """SMAUG's visual and text encoders, frame selection and fusion (paper
    Fig. 2), on which the task models put their heads.

    A clip goes through the visual encoder Q_v and the temporal encoder Q_t
    (:meth:`encode_video`); for each (clip, text) pair the text-guided frame
    selector S keeps the kappa frames that fit the text's [CLS]
    (:meth:`select_frames`) and the multimodal encoder Q_m cross-attends
    from the text to their tokens (:meth:`fuse`). Pre-training, retrieval
    and multiple choice (:class:`SMAUGPretrain` and its subclasses) and
    question answering (:class:`SMAUGQA`) add their heads and losses.

    Every part is built from its config through the MODELS registry, in
    this order: Q_v, Q_l, Q_m, Q_t, the task heads (in the order given), S.
    The order fixes which random numbers initialise which part: the parts
    a dense baseline lacks (S, and the MVM decoder, the last head) come
    last, so a dense model and a SMAUG model built with the same seed start
    with the same weights in every part they share. Parameter names (and
    so checkpoint keys) are the attribute names below and the heads'
    names.

    Args:
        backbone (dict): Visual encoder Q_v (``SparseMAEViT``).
        text_encoder (dict): Text encoder Q_l (``BertTextEncoder``).
        multimodal_encoder (dict): Q_m (``BertMultimodalEncoder``).
        task_heads (dict): Attribute name -> config of each task head; a
            None config leaves the attribute None (a head switched off).
        temporal_encoder (dict, optional): Q_t (``TemporalEncoder``); None
            for single-frame models.
        frame_selector (dict, optional): S (``TextGuidedFrameSelector``);
            None keeps every frame.
        num_selected_frames (int, optional): kappa in training; None keeps
            every frame.
        num_test_selected_frames (int, optional): kappa at test; None keeps
            every frame.
        data_preprocessor (dict): ``VideoTextDataPreprocessor``, the owner
            of the tokenizer.
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
        self.backbone = MODELS.build(backbone)
        self.text_encoder = MODELS.build(text_encoder)
        self.multimodal_encoder = MODELS.build(multimodal_encoder)
        self.temporal_encoder = (MODELS.build(temporal_encoder)
                                 if temporal_encoder else None)
        for name, cfg in task_heads.items():
            setattr(self, name, MODELS.build(cfg) if cfg else None)
        self.frame_selector = (MODELS.build(frame_selector)
                               if frame_selector else None)
        self.num_selected_frames = num_selected_frames
        self.num_test_selected_frames = num_test_selected_frames

    @property
    def may_leave_parameters_unused(self):
        """Whether a training step can leave parameters without gradient:
        a one-frame clip (an image) passes the temporal encoder and the frame
        selector by. DDP must then look for unused parameters every step,
        which :class:`~smaug.engine.SMAUGRunner` sets from this property;
        steps that skip them then leave their gradients None, as without
        DDP (a zero loss term would let AdamW move them instead)."""
        return (self.temporal_encoder is not None
                or self.frame_selector is not None)

    def encode_video(self, frames):
        """Visual encoder then temporal encoder.

        Args:
            frames (Tensor): (B, K, 3, H, W) normalised frames.

        Returns:
            tuple[SparseViTOutput, Tensor]: the backbone's output and the
            temporally encoded tokens (B, K, 1 + T, C).
        """
        visual = self.backbone(frames)
        tokens = visual.tokens
        if self.temporal_encoder is not None:
            tokens = self.temporal_encoder(tokens)
        return visual, tokens

    def select_frames(self, video_tokens, text_cls):
        """Keep the frames the selector ranks best for each text.

        Args:
            video_tokens (Tensor): (n, K, 1 + T, C), one clip per pair.
            text_cls (Tensor): (n, D) the paired texts' [CLS].

        Returns:
            Tensor: (n, kappa, 1 + T, C).
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
        """Multimodal encoder over each (clip, text) pair.

        Args:
            video_tokens (Tensor): (n, K, 1 + T, C).
            text_hidden (Tensor): (n, P, D) text encoder output.
            text_mask (Tensor): (n, P) attention mask of the texts.

        Returns:
            Tensor: (n, P, D) fused states; [CLS] first.
        """
        selected = self.select_frames(video_tokens, text_hidden[:, 0])
        return self.multimodal_encoder(text_hidden, text_mask,
                                       selected.flatten(1, 2))
