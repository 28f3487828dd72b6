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
    """A new state dict with copies of ``{prefix}multimodal_encoder.*`` as
    ``answer_decoder.*`` and ``mlm_head.*`` as ``answer_head.*`` (unchanged
    when it has answer decoder weights already).
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

    Training is teacher-forced cross-entropy of ``[CLS] answer [SEP]``; at
    test the answer list is ranked (:meth:`rank_answers`). A pre-training or
    retrieval checkpoint loads with ``load_from``: Q_m initialises the
    answer decoder and the MLM head the answer head
    (:func:`pretrain_to_qa_state_dict`, the weights whose shapes fit). The
    answer list comes from ``AnswerListHook``, ``answer_list`` or
    :meth:`set_answer_list`.

    Args:
        answer_decoder (dict): ``BertAnswerDecoder``.
        answer_head (dict): LM head over the vocabulary (``BertMLMHead``).
        num_candidates (int): Answers kept by first-token likelihood before
            the full-likelihood ranking. Defaults to 128.
        answer_list (list[str], optional): Candidate answers for testing.
        tie_answer_weights (bool): Tie the answer head's decoder weight to
            Q_l's word embeddings. Defaults to True.
        **kwargs: See :class:`SMAUGBase`.
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

    def _map_pretrain_keys(self, state_dict, prefix, *args):
        """Load-state-dict pre-hook: fill the answer decoder and head from a
        pre-training checkpoint's Q_m and MLM head (in place).
        """
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

    def set_answer_list(self, answers):
        """Set the answers (a non-empty list of str) ranked at test."""
        if not answers or not all(isinstance(a, str) for a in answers):
            raise ValueError(
                'smaug/models/algorithms/smaug_qa.py: the answer list must '
                'be a non-empty list of strings.')
        if answers != self.answer_list:
            self.answer_list = list(answers)
            self._answer_tokens = None

    def answer_tokens(self):
        """The tokenised answer list ``(input_ids, attention_mask)``, (N, L)
        each, computed once per list and device.
        """
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

    def fuse_questions(self, frames, question):
        """Q_m's states (B, P, D) of each (clip, question) pair and the
        questions' mask (B, P), from frames (B, K, 3, H, W) and the tokenised
        ``question``.
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
            input_mask (Tensor | None): (n, L) padding mask.
            fused (Tensor): (n, P, D) Q_m's states.
            fused_mask (Tensor): (n, P).

        Returns:
            Tensor: (n, L, vocab_size); position t scores token t + 1.
        """
        embeds = self.text_encoder.embeddings(input_ids)
        hidden = self.answer_decoder(embeds, input_mask, fused, fused_mask)
        return self.answer_head(hidden)

    def answer_log_likelihood(self, fused, fused_mask, answer_ids,
                              answer_mask):
        """Log-probability of each answer token after [CLS].

        Args:
            fused (Tensor): (n, P, D) Q_m's states, one row per answer.
            fused_mask (Tensor): (n, P).
            answer_ids (Tensor): (n, L) ``[CLS] answer [SEP] [PAD]...``.
            answer_mask (Tensor): (n, L).

        Returns:
            Tensor: (n, L - 1) float, 0 at padding.
        """
        logits = self.decode(answer_ids[:, :-1], answer_mask[:, :-1], fused,
                             fused_mask)
        targets = answer_ids[:, 1:].masked_fill(answer_mask[:, 1:] == 0,
                                                -100)
        return -F.cross_entropy(logits.flatten(0, 1).float(),
                                targets.flatten(),
                                reduction='none').view_as(targets)

    def rank_answers(self, fused, fused_mask, answer_ids, answer_mask):
        """Rank the answer list for each question: the ``k`` answers whose
        first token is likeliest, then their full log-likelihoods.

        Args:
            fused (Tensor): (n, P, D) Q_m's states of the questions.
            fused_mask (Tensor): (n, P).
            answer_ids (Tensor): (N, L) the tokenised answer list.
            answer_mask (Tensor): (N, L).

        Returns:
            tuple[Tensor, Tensor, Tensor]: the best answer (n,), the
            candidates (n, k) and their log-likelihoods (n, k), with
            k = min(num_candidates, N).
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

    def forward(self, inputs, data_samples=None, text=None, question=None,
                answer=None, mode='loss'):
        """mmengine's entry point.

        Args:
            inputs (Tensor): (B, K, 3, H, W) normalised frames.
            data_samples (list[DataSample]): ``predict`` sets ``pred_answer``.
            text (dict, optional): Unused (QA items have no captions).
            question (dict): The tokenised questions.
            answer (dict, optional): The tokenised answers, for ``'loss'``.
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
            answers (dict): The tokenised ``[CLS] answer [SEP]``.

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
        """Answer each question with the best of the answer list.

        Args:
            frames (Tensor): (B, K, 3, H, W) normalised frames.
            question (dict): The tokenised questions.
            data_samples (list[DataSample]): The clips' samples.

        Returns:
            list[DataSample]: With ``pred_answer`` and ``pred_score`` (its
            log-likelihood).
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
    """``tokens``, or a clear error when the batch lacked field ``name``."""
    if tokens is None:
        raise KeyError(
            f'SMAUGQA needs the data samples\' "{name}" field (a '
            'VideoQADataset item packed by PackVideoTextInputs).')
    return tokens
