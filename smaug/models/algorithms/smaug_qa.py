"""SMAUGQA: open-ended video question answering with an answer decoder."""
import logging

from mmengine.logging import print_log
from torch.nn import functional as F

from smaug.registry import MODELS
from .smaug_base import SMAUGBase

#: Where the QA model's new parts come from in a pre-training checkpoint.
QA_WEIGHT_SOURCES = (('multimodal_encoder.', 'answer_decoder.'),
                     ('mlm_head.', 'answer_head.'))


def pretrain_to_qa_state_dict(state_dict, prefix=''):
    """Add the answer decoder's and answer head's weights to the state dict
    of a SMAUG pre-training (or retrieval) checkpoint.

    ``{prefix}multimodal_encoder.*`` is copied to ``{prefix}answer_decoder.*``
    (Q_m's layers, cross-attention included, initialise the decoder, as in
    ALBEF and Singularity) and ``{prefix}mlm_head.*`` to
    ``{prefix}answer_head.*`` (the LM head starts as the MLM head). The
    original entries stay, so the encoders load as usual. A state dict that
    already has answer decoder weights (a QA checkpoint) is returned as it is.

    Args:
        state_dict (dict): key -> tensor.
        prefix (str): Prefix of the model's keys in ``state_dict``.

    Returns:
        dict: A new dict with the copies added.
    """
    mapped = dict(state_dict)
    if any(key.startswith(prefix + 'answer_decoder.') for key in state_dict):
        return mapped
    for source, target in QA_WEIGHT_SOURCES:
        for key, value in state_dict.items():
            if key.startswith(prefix + source):
                mapped[prefix + target + key[len(prefix + source):]] = value
    return mapped


@MODELS.register_module()
class SMAUGQA(SMAUGBase):
    """Open-ended video QA: SMAUG's encoders and an answer decoder (paper
    Sec. 4.1, "an extra decoder is added after the multi-modal encoder").

    The question is the text input of Q_l; the frame selector keeps the
    frames that fit the question's [CLS], and Q_m fuses the question with
    them (:class:`~smaug.models.algorithms.SMAUGBase`'s ``encode_video``
    and ``fuse``). The answer decoder
    (:class:`~smaug.models.heads.BertAnswerDecoder`) reads the answer with
    causal self-attention and cross-attention to Q_m's output; an LM head
    of BERT's MLM-head shape predicts the next token. Answers are tokenised
    as ``[CLS] answer [SEP]``: [CLS] is the start token and [SEP] the end
    token, which is predicted too.

    - Training: teacher forcing, cross-entropy of every answer token.
    - Test: the answers of the dataset's answer list are ranked, all at once
      for a batch: the ``num_candidates`` answers whose first token is most
      likely after [CLS], then, among those, the highest log-likelihood of
      the whole answer ([SEP] included). The prediction is that answer
      (``pred_answer`` of the returned data samples).

    Parameter names of the shared parts are SMAUGPretrain's (both are
    SMAUGBase); there are no VTC, VTM, MLM or MVM heads. The data
    preprocessor tokenises the batch's questions and answers; the answer
    list is tokenised by it too, once per list. A pre-training or
    retrieval checkpoint loads with ``load_from``: a load-state-dict hook
    copies Q_m's layers into the answer decoder and the MLM head into the
    answer head (:func:`pretrain_to_qa_state_dict`), keeping only weights
    whose shapes fit (Q_m's cross-attention keys are visual-width; where
    that differs from the text width they stay freshly initialised).

    The word embeddings of the answer tokens are Q_l's (one vocabulary), and
    the LM head's decoder weight is tied to them by default, as BERT's.

    Tube masking is a backbone setting: the QA configs turn it off
    (``mask_ratio=0``), as for retrieval, unless an experiment asks for it.

    The answer list is given by the ``AnswerListHook`` (the evaluated
    dataset's ``metainfo['answer_list']``), by ``answer_list`` or by
    :meth:`set_answer_list`.

    Args:
        answer_decoder (dict): ``BertAnswerDecoder``.
        answer_head (dict): LM head over the vocabulary (``BertMLMHead``).
        num_candidates (int): Answers kept by first-token likelihood before
            the full-likelihood ranking (capped at the answer list's size).
            Defaults to 128.
        answer_list (list[str], optional): Candidate answers for testing.
        tie_answer_weights (bool): Tie the answer head's decoder weight to
            Q_l's word embeddings. Defaults to True.
        **kwargs: The shared parts and settings of :class:`SMAUGBase`
            (``backbone``, ``text_encoder``, ``multimodal_encoder``,
            ``temporal_encoder``, ``frame_selector``,
            ``num_selected_frames``, ``num_test_selected_frames``,
            ``data_preprocessor``, ``init_cfg``).
    """

    def __init__(self,
                 answer_decoder,
                 answer_head,
                 num_candidates=128,
                 answer_list=None,
                 tie_answer_weights=True,
                 **kwargs):
        if not isinstance(num_candidates, int) or num_candidates < 1:
            raise ValueError(
                'smaug/models/algorithms/smaug_qa.py: num_candidates must be '
                f'a positive int, got {num_candidates!r}.')
        super().__init__(
            task_heads=dict(answer_decoder=answer_decoder,
                            answer_head=answer_head),
            **kwargs)
        self.num_candidates = num_candidates
        if tie_answer_weights:
            self.answer_head.tie_weights(
                self.text_encoder.embeddings.word_embeddings)
        self.tie_answer_weights = tie_answer_weights
        self.answer_list = None
        self._answer_tokens = None
        if answer_list is not None:
            self.set_answer_list(answer_list)
        self.register_load_state_dict_pre_hook(type(self)._map_pretrain_keys)

    # ------------------------------------------------------------------
    # Weights
    # ------------------------------------------------------------------
    def _map_pretrain_keys(self, state_dict, prefix, *args):
        """Load-state-dict pre-hook: fill the answer decoder and head from a
        pre-training checkpoint's Q_m and MLM head (in place)."""
        new = {
            key: value
            for key, value in pretrain_to_qa_state_dict(state_dict,
                                                        prefix).items()
            if key not in state_dict
        }
        if not new:  # a QA checkpoint (or one without Q_m)
            return
        own = self.state_dict()
        copied, unfit = 0, []
        for key, value in new.items():
            name = key[len(prefix):]
            if self.tie_answer_weights and \
                    name == 'answer_head.decoder.weight':
                continue  # a tied weight is the word embeddings'
            if name in own and own[name].shape == value.shape:
                state_dict[key] = value
                copied += 1
            else:
                unfit.append(name)
        print_log(
            f'SMAUGQA: answer decoder/head <- multimodal_encoder/mlm_head of '
            f'the checkpoint: {copied} tensors copied; not copied (no such '
            f'parameter or another shape): {unfit}', logger='current',
            level=logging.WARNING if unfit else logging.INFO)

    # ------------------------------------------------------------------
    # Answer list
    # ------------------------------------------------------------------
    def set_answer_list(self, answers):
        """Set the candidate answers ranked at test.

        Args:
            answers (list[str]): Non-empty list of answers.
        """
        if not answers or not all(isinstance(a, str) for a in answers):
            raise ValueError(
                'smaug/models/algorithms/smaug_qa.py: the answer list must '
                'be a non-empty list of strings.')
        if answers != self.answer_list:
            self.answer_list = list(answers)
            self._answer_tokens = None

    def answer_tokens(self):
        """The tokenised answer list ``(input_ids, attention_mask)``, (N, L)
        each, computed once per list and device."""
        if self.answer_list is None:
            raise RuntimeError(
                'SMAUGQA has no answer list: add dict(type="AnswerListHook") '
                'to custom_hooks (it takes the evaluated dataset\'s '
                'metainfo["answer_list"]), or call set_answer_list().')
        device = self.data_preprocessor.device
        if self._answer_tokens is None or \
                self._answer_tokens[0].device != device:
            tokens = self.data_preprocessor.tokenize(self.answer_list)
            self._answer_tokens = (tokens['input_ids'],
                                   tokens['attention_mask'])
        return self._answer_tokens

    # ------------------------------------------------------------------
    # Encoding and decoding
    # ------------------------------------------------------------------
    def fuse_questions(self, frames, question):
        """Q_m's states of each (clip, question) pair.

        Args:
            frames (Tensor): (B, K, 3, H, W) normalised frames.
            question (dict): The tokenised questions (``input_ids``,
                ``attention_mask``, (B, P) each).

        Returns:
            tuple[Tensor, Tensor]: fused states (B, P, D) and the questions'
            attention mask (B, P).
        """
        _, video_tokens = self.encode_video(frames)
        hidden = self.text_encoder(question['input_ids'],
                                   question['attention_mask'])
        fused = self.fuse(video_tokens, hidden, question['attention_mask'])
        return fused, question['attention_mask']

    def decode(self, input_ids, input_mask, fused, fused_mask):
        """Next-token logits of the answer decoder.

        Args:
            input_ids (Tensor): (n, L) answer prefixes, [CLS] first.
            input_mask (Tensor | None): (n, L) padding mask (None: none).
            fused (Tensor): (n, P, D) Q_m's states.
            fused_mask (Tensor): (n, P) their attention mask.

        Returns:
            Tensor: (n, L, vocab_size); position t scores token t + 1.
        """
        embeds = self.text_encoder.embeddings(input_ids)
        hidden = self.answer_decoder(embeds, input_mask, fused, fused_mask)
        return self.answer_head(hidden)

    def answer_log_likelihood(self, fused, fused_mask, answer_ids,
                              answer_mask):
        """Log-probability of each token of each answer after [CLS].

        Args:
            fused (Tensor): (n, P, D) Q_m's states, one row per answer.
            fused_mask (Tensor): (n, P).
            answer_ids (Tensor): (n, L) ``[CLS] answer [SEP] [PAD]...``.
            answer_mask (Tensor): (n, L).

        Returns:
            Tensor: (n, L - 1) float log-probabilities of tokens 1..L-1;
            0 at padding.
        """
        logits = self.decode(answer_ids[:, :-1], answer_mask[:, :-1], fused,
                             fused_mask)
        targets = answer_ids[:, 1:].masked_fill(answer_mask[:, 1:] == 0,
                                                -100)
        return -F.cross_entropy(logits.flatten(0, 1).float(),
                                targets.flatten(),
                                reduction='none').view_as(targets)

    def rank_answers(self, fused, fused_mask, answer_ids, answer_mask):
        """Rank the answer list for each question, vectorised over answers.

        First the log-probability of every answer's first token after
        [CLS] (one decoder step per question); then the full log-likelihood
        of the ``k = min(num_candidates, N)`` best answers by that score
        (one decoder pass over the k * n pairs).

        Args:
            fused (Tensor): (n, P, D) Q_m's states of the questions.
            fused_mask (Tensor): (n, P).
            answer_ids (Tensor): (N, L) the tokenised answer list.
            answer_mask (Tensor): (N, L).

        Returns:
            tuple[Tensor, Tensor, Tensor]: the best answer's index (n,), the
            candidates' indices (n, k) by first-token likelihood, and their
            full log-likelihoods (n, k).
        """
        num_questions, num_answers = fused.shape[0], answer_ids.shape[0]
        k = min(self.num_candidates, num_answers)
        start = answer_ids[:1, :1].expand(num_questions, 1)
        first = self.decode(start, None, fused, fused_mask)[:, 0].float()
        first = first.log_softmax(dim=-1)[:, answer_ids[:, 1]]
        candidates = first.topk(k, dim=1).indices
        flat = candidates.flatten()
        scores = self.answer_log_likelihood(
            fused.repeat_interleave(k, dim=0),
            fused_mask.repeat_interleave(k, dim=0), answer_ids[flat],
            answer_mask[flat]).sum(dim=1).view(num_questions, k)
        best = candidates.gather(1, scores.argmax(dim=1, keepdim=True))
        return best.squeeze(1), candidates, scores

    # ------------------------------------------------------------------
    # mmengine entry points
    # ------------------------------------------------------------------
    def forward(self, inputs, data_samples=None, text=None, question=None,
                answer=None, mode='loss'):
        """mmengine's entry point.

        Args:
            inputs (Tensor): (B, K, 3, H, W) normalised frames.
            data_samples (list[DataSample]): The clips' samples; ``predict``
                sets their ``pred_answer``.
            text (dict, optional): Unused (QA items have no captions).
            question (dict): The tokenised questions, from the data
                preprocessor.
            answer (dict, optional): The tokenised answers, needed for
                ``'loss'``.
            mode (str): ``'loss'`` or ``'predict'``.
        """
        if mode not in ('loss', 'predict'):
            raise ValueError(f'Unsupported mode {mode!r}: use "loss" or '
                             '"predict".')
        question = require_tokens(question, 'question')
        if mode == 'loss':
            return self.loss(inputs, question,
                             require_tokens(answer, 'answer'))
        return self.predict(inputs, question, data_samples)

    def loss(self, frames, question, answers):
        """Teacher-forced cross-entropy of the answers.

        Args:
            frames (Tensor): (B, K, 3, H, W) normalised frames.
            question (dict): The tokenised questions.
            answers (dict): The tokenised answers, ``[CLS] answer [SEP]``.

        Returns:
            dict[str, Tensor]: ``loss_qa``, the mean over answer tokens.
        """
        fused, fused_mask = self.fuse_questions(frames, question)
        log_likelihood = self.answer_log_likelihood(
            fused, fused_mask, answers['input_ids'],
            answers['attention_mask'])
        num_tokens = answers['attention_mask'][:, 1:].sum().clamp(min=1)
        return dict(loss_qa=-log_likelihood.sum() / num_tokens)

    def predict(self, frames, question, data_samples):
        """Answer each question with the best answer of the answer list.

        Args:
            frames (Tensor): (B, K, 3, H, W) normalised frames.
            question (dict): The tokenised questions.
            data_samples (list[DataSample]): The clips' samples.

        Returns:
            list[DataSample]: The samples with ``pred_answer`` (str) and
            ``pred_score`` (its log-likelihood).
        """
        answer_ids, answer_mask = self.answer_tokens()
        fused, fused_mask = self.fuse_questions(frames, question)
        best, _, scores = self.rank_answers(fused, fused_mask, answer_ids,
                                            answer_mask)
        best_scores = scores.max(dim=1).values
        for sample, index, score in zip(data_samples, best.tolist(),
                                        best_scores.tolist()):
            sample.set_field(self.answer_list[index], 'pred_answer')
            sample.set_field(score, 'pred_score')
        return data_samples


def require_tokens(tokens, name):
    """``tokens``, or a clear error when the batch had no such field.

    Args:
        tokens (dict | None): The data preprocessor's tokenisation of the
            samples' ``name`` field (None when some sample lacks it).
        name (str): ``'question'`` or ``'answer'``.
    """
    if tokens is None:
        raise KeyError(
            f'SMAUGQA needs the data samples\' "{name}" field (a '
            'VideoQADataset item packed by PackVideoTextInputs).')
    return tokens
