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
    one owner of the tokenizer (loaded on first use).

    Clips (list of uint8 (K, 3, H, W)) become float (B, K, 3, H, W) on the
    model's device. Each of ``TEXT_FIELDS`` that every sample has as a string
    becomes the model input of that name; lists of captions (retrieval test
    items) stay strings. Other text goes through :meth:`tokenize`.

    Args:
        tokenizer (str): BERT tokenizer folder, ``vocab.txt`` or hub name.
        max_text_len (int): Tokens per text, [CLS] and [SEP] included.
        mean (Sequence[float]): Per-channel mean, 0-255 scale.
        std (Sequence[float]): Per-channel std, 0-255 scale.
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
        """n texts -> padded ``input_ids`` and ``attention_mask`` (n, P) on the
        model's device.
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
        """Bool (n, P), True at [CLS], [SEP], [PAD] and other specials."""
        special_ids = torch.tensor(self.tokenizer.all_special_ids).to(
            input_ids.device, non_blocking=True)
        return torch.isin(input_ids, special_ids)

    def normalize_frames(self, clips):
        """uint8 clips (K, 3, H, W) of one shape -> float (B, K, 3, H, W)."""
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
        """One collated batch (``inputs``, ``data_samples``) -> ``inputs``
        (B, K, 3, H, W), ``data_samples``, tokenised ``text`` (None when the
        captions are lists or absent) and, when present, ``question`` and
        ``answer``. The same in training and evaluation.
        """
        data_samples = data.get('data_samples')
        batch = dict(inputs=self.normalize_frames(data['inputs']),
                     data_samples=data_samples, text=None)
        for field in TEXT_FIELDS:
            texts = [sample.get(field) for sample in data_samples or []]
            if texts and all(isinstance(text, str) for text in texts):
                batch[field] = self.tokenize(texts)
        return batch
