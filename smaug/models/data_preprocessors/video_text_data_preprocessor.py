"""Turns collated clips and captions into model inputs."""
import torch
from mmengine.model import BaseDataPreprocessor

from smaug.models.language import build_bert_tokenizer
from smaug.registry import MODELS

CLIP_MEAN = (0.48145466 * 255, 0.4578275 * 255, 0.40821073 * 255)
CLIP_STD = (0.26862954 * 255, 0.26130258 * 255, 0.27577711 * 255)

#: Sample fields tokenised into the model's inputs of the same name.
TEXT_FIELDS = ('text', 'question', 'answer')


@MODELS.register_module()
class VideoTextDataPreprocessor(BaseDataPreprocessor):
    """Stacks uint8 clips, normalises them and tokenises their texts: the
    one owner of the tokenizer.

    Clips arrive as a list of uint8 tensors (K, 3, H, W) and leave as one
    float tensor (B, K, 3, H, W) on the model's device, normalised with CLIP's
    mean and std. Each of ``TEXT_FIELDS`` that every sample has as a string
    is tokenised into the model input of the same name: captions ``text``
    (pre-training and retrieval training), QA's ``question`` and
    ``answer``. Test items whose ``text`` is a list of captions keep them as
    strings for the retrieval loop, which embeds all captions once.

    The models never call the tokenizer: texts that do not come in a batch
    (the retrieval contract's ``extract_text_feats``, the QA answer list)
    go through :meth:`tokenize`, and MLM masking asks
    :meth:`special_tokens_mask`, :attr:`vocab_size` and
    :attr:`mask_token_id`. The tokenizer is loaded on first use, so a
    config builds on a machine without the tokenizer's files (e.g. to
    inspect a model).

    Args:
        tokenizer (str): A BERT tokenizer folder, ``vocab.txt`` file or hub
            name (see :func:`smaug.models.language.build_bert_tokenizer`).
        max_text_len (int): Captions are truncated to this many tokens,
            [CLS] and [SEP] included.
        mean (Sequence[float]): Per-channel mean on the 0-255 scale.
        std (Sequence[float]): Per-channel std on the 0-255 scale.
    """

    def __init__(self, tokenizer, max_text_len=32, mean=CLIP_MEAN,
                 std=CLIP_STD):
        super().__init__()
        self.tokenizer_source = tokenizer
        self._tokenizer = None
        self.max_text_len = max_text_len
        self.register_buffer('mean', torch.tensor(mean).view(1, 1, 3, 1, 1),
                             persistent=False)
        self.register_buffer('std', torch.tensor(std).view(1, 1, 3, 1, 1),
                             persistent=False)

    @property
    def tokenizer(self):
        """The BERT tokenizer (``transformers.BertTokenizerFast``)."""
        if self._tokenizer is None:
            self._tokenizer = build_bert_tokenizer(self.tokenizer_source)
        return self._tokenizer

    def tokenize(self, texts):
        """Tokenise captions into padded ids on the model's device.

        Args:
            texts (list[str]): Captions.

        Returns:
            dict: ``input_ids`` and ``attention_mask``, both (n, P) long.
        """
        encoded = self.tokenizer(
            list(texts), padding='longest', truncation=True,
            max_length=self.max_text_len, return_tensors='pt')
        return dict(
            input_ids=encoded['input_ids'].to(self.device, non_blocking=True),
            attention_mask=encoded['attention_mask'].to(self.device,
                                                        non_blocking=True))

    @property
    def vocab_size(self):
        """Number of tokens of the tokenizer (added tokens included)."""
        return len(self.tokenizer)

    @property
    def mask_token_id(self):
        """Id of [MASK]."""
        return self.tokenizer.mask_token_id

    def special_tokens_mask(self, input_ids):
        """Mark [CLS], [SEP], [PAD] and other special tokens.

        Args:
            input_ids (Tensor): Token ids (n, P).

        Returns:
            Tensor: Bool (n, P), True at special tokens.
        """
        special_ids = torch.tensor(self.tokenizer.all_special_ids).to(
            input_ids.device, non_blocking=True)
        return torch.isin(input_ids, special_ids)

    def normalize_frames(self, clips):
        """Stack uint8 clips and normalise them.

        Args:
            clips (list[Tensor] | Tensor): uint8 clips (K, 3, H, W), all of
                the same shape.

        Returns:
            Tensor: Float frames (B, K, 3, H, W).
        """
        if isinstance(clips, (list, tuple)):
            shapes = {tuple(clip.shape) for clip in clips}
            if len(shapes) > 1:
                raise ValueError(
                    f'Clips of one batch must share a shape (frames, '
                    f'channels, height, width), got {sorted(shapes)}. Use '
                    'per-corpus batches when corpora differ in frame count.')
            clips = torch.stack(clips)
        frames = clips.to(self.device, non_blocking=True).float()
        return (frames - self.mean) / self.std

    def forward(self, data, training=False):
        """Prepare one collated batch.

        Args:
            data (dict): ``inputs`` (clips) and ``data_samples`` from the
                dataloader.
            training (bool): Unused; the same processing applies in training
                and evaluation.

        Returns:
            dict: ``inputs`` (B, K, 3, H, W), ``data_samples``, ``text``
            (tokenised captions; None when the captions are lists or
            absent) and, when the samples have them, the tokenised
            ``question`` and ``answer``.
        """
        data_samples = data.get('data_samples')
        batch = dict(inputs=self.normalize_frames(data['inputs']),
                     data_samples=data_samples, text=None)
        for field in TEXT_FIELDS:
            texts = [sample.get(field) for sample in data_samples or []]
            if texts and all(isinstance(text, str) for text in texts):
                batch[field] = self.tokenize(texts)
        return batch
