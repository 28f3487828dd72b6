"""SMAUGMultipleChoice: MSRVTT-MC with the retrieval model's VTM head."""
from smaug.registry import MODELS
from .smaug_retrieval import SMAUGRetrieval


@MODELS.register_module()
class SMAUGMultipleChoice(SMAUGRetrieval):
    """MSRVTT multiple choice: for each clip, the option caption with the
    highest VTM score (paper Sec. 4.1; ClipBERT's and Singularity's protocol).

    The retrieval model with a ``predict`` for multiple choice (a retrieval or
    pre-training checkpoint loads with ``load_from``); ``mode='loss'`` is
    retrieval fine-tuning.
    """

    def forward(self, inputs, data_samples=None, text=None, mode='loss'):
        """mmengine's entry point: ``'predict'`` scores ``options``
        (:meth:`predict`); other modes are :class:`SMAUGRetrieval`'s.

        Args:
            inputs (Tensor): (B, K, 3, H, W) normalised frames.
            data_samples (list[DataSample]): ``options`` for ``'predict'``.
            text (dict, optional): Tokenised captions for ``'loss'``.
            mode (str): ``'predict'`` or ``'loss'``.
        """
        if mode == 'predict':
            return self.predict(inputs, data_samples)
        return super().forward(inputs, data_samples, text, mode)

    def predict(self, frames, data_samples):
        """Score every option of every clip.

        Args:
            frames (Tensor): (B, K, 3, H, W) normalised frames.
            data_samples (list[DataSample]): ``options``, as many per clip.

        Returns:
            list[DataSample]: With ``option_scores`` (a VTM score per option)
            and ``pred_index``.
        """
        if not data_samples or any('options' not in s for s in data_samples):
            raise KeyError(
                'SMAUGMultipleChoice needs the data samples\' "options" '
                'field (a VideoMCDataset item packed by PackVideoTextInputs).')
        counts = {len(sample.options) for sample in data_samples}
        if len(counts) != 1:
            raise ValueError(
                'SMAUGMultipleChoice: every clip of a batch needs the same '
                f'number of options, got {counts}.')
        num_options = counts.pop()
        video_tokens = self.extract_video_feats(frames)['tokens']
        text = self.extract_text_feats(
            [option for sample in data_samples for option in sample.options])
        scores = self.score_pairs(
            video_tokens.repeat_interleave(num_options, dim=0),
            text['hidden'], text['attention_mask']).view(-1, num_options)
        for sample, row in zip(data_samples, scores):
            sample.set_field(row.detach().cpu(), 'option_scores')
            sample.set_field(int(row.argmax()), 'pred_index')
        return data_samples
