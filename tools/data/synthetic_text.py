"""Language of the synthetic corpus: captions, paragraphs and questions.

Everything here is a function of a clip's events (``synthetic_scenes``), so a
caption says exactly what the pixels show.

- Event phrase: ``a red circle moves left``, ``a blue square appears``,
  ``a green star disappears``, ``a white cross turns yellow``; each kind has
  several wordings (``slides left``, ``shows up``, ``vanishes``, ``becomes
  yellow``). Variant 0 is the canonical one.
- Caption: the event phrases in time order joined by a connector (``, then``
  canonically; ``and then``, ``, after that``, ``, next`` in paraphrases).
- Captions of a clip (:func:`video_captions`): the canonical caption,
  paraphrases, each event on its own (clips with several events) and a list
  of the shapes (``a red circle and a blue square``).
- Paragraph: one sentence (the canonical event phrase) per segment.
- Questions have one-word answers visible in the clip: the colour of a shape,
  the shape that does something, the direction of a move, what a shape does,
  how many shapes there are. Questions that two events would answer
  differently are dropped.

:func:`vocabulary_words` enumerates every word any of these functions can
produce, so a tokenizer vocabulary built from it does not depend on the seed.
"""
import re
import sys

from synthetic_scenes import COLOURS, DIRECTIONS, SHAPES, Event

MOVE_WORDINGS = {
    'left': ('moves left', 'moves to the left', 'slides left', 'goes left'),
    'right': ('moves right', 'moves to the right', 'slides right',
              'goes right'),
    'up': ('moves up', 'moves upward', 'slides up', 'goes up'),
    'down': ('moves down', 'moves downward', 'slides down', 'goes down'),
}
WORDINGS = {
    'appear': ('appears', 'shows up', 'comes into view', 'pops up'),
    'disappear': ('disappears', 'vanishes', 'goes away'),
    'turn': ('turns {colour}', 'changes to {colour}', 'becomes {colour}'),
}
CONNECTORS = (', then ', ' and then ', ', after that ', ', next ')
ACTION_ANSWERS = {'move': 'moves', 'appear': 'appears',
                  'disappear': 'disappears', 'turn': 'turns'}
ARTICLES = ('a', 'the')
COUNT_QUESTION = 'how many shapes are there?'
COUNT_ANSWERS = ('one', 'two', 'three')
NUM_PARAPHRASES = 2


def _wordings(event):
    """All wordings of ``event``'s verb phrase, canonical first.

    Args:
        event (Event): The event.
    """
    if event.kind == 'move':
        return MOVE_WORDINGS[event.direction]
    return tuple(w.format(colour=event.new_colour)
                 for w in WORDINGS[event.kind])


def noun_phrase(article, colour, shape):
    """``a red circle``, ``an orange star``, ``the blue square``.

    Args:
        article (str): One of :data:`ARTICLES`; ``a`` becomes ``an`` before a
            vowel.
        colour (str): Colour word.
        shape (str): Shape word.
    """
    if article == 'a' and colour[0] in 'aeiou':
        article = 'an'
    return f'{article} {colour} {shape}'


def event_phrase(event, variant=0, article='a'):
    """One event as a clause, e.g. ``a red circle moves left``.

    Args:
        event (Event): The event.
        variant (int): Which wording of the verb phrase (0: canonical).
        article (str): One of :data:`ARTICLES`.
    """
    subject = noun_phrase(article, event.colour, event.shape)
    return f'{subject} {_wordings(event)[variant]}'


def canonical_caption(events):
    """The canonical caption: canonical phrases joined by ``, then``.

    Args:
        events (Sequence[Event]): The clip's events in time order.
    """
    return CONNECTORS[0].join(event_phrase(e) for e in events)


def paraphrase(rng, events):
    """A random rewording of the canonical caption.

    Args:
        rng (numpy.random.Generator): Source of randomness.
        events (Sequence[Event]): The clip's events in time order.
    """
    phrases = [event_phrase(e, int(rng.integers(len(_wordings(e)))),
                            str(rng.choice(ARTICLES)))
               for e in events]
    connector = str(rng.choice(CONNECTORS))
    return connector.join(phrases)


def shape_list(pairs):
    """Name shapes, e.g. ``a red circle, a blue square and an orange star``.

    Args:
        pairs (Sequence[tuple[str, str]]): ``(colour, shape)`` pairs.
    """
    names = [noun_phrase('a', colour, shape) for colour, shape in pairs]
    if len(names) == 1:
        return names[0]
    return ', '.join(names[:-1]) + ' and ' + names[-1]


def video_captions(rng, events):
    """Every caption of a clip, canonical first, without repeats.

    Args:
        rng (numpy.random.Generator): Source of randomness.
        events (Sequence[Event]): The clip's events in time order.

    Returns:
        list[str]: Canonical caption, :data:`NUM_PARAPHRASES` paraphrases,
        one caption per event (clips with several events) and the shape list
        (colours as at the start).
    """
    captions = [canonical_caption(events)]
    captions += [paraphrase(rng, events) for _ in range(NUM_PARAPHRASES)]
    if len(events) > 1:
        captions += [event_phrase(e) for e in events]
    captions.append(shape_list([(e.colour, e.shape) for e in events]))
    return list(dict.fromkeys(captions))


def paragraph(events):
    """One sentence per segment (the canonical event phrase).

    Args:
        events (Sequence[Event]): The clip's events in time order.
    """
    return [event_phrase(e) for e in events]


def _event_questions(event):
    """``(question, answer)`` pairs about one event.

    Args:
        event (Event): The event.
    """
    shape, colour = event.shape, event.colour
    pairs = [(f'what does the {colour} {shape} do?',
              ACTION_ANSWERS[event.kind])]
    if event.kind == 'turn':
        pairs += [(f'what colour does the {shape} turn?', event.new_colour),
                  (f'what colour is the {shape} at first?', colour),
                  (f'what shape turns {event.new_colour}?', shape)]
    else:
        pairs.append((f'what colour is the {shape}?', colour))
    if event.kind == 'move':
        pairs += [(f'which direction does the {colour} {shape} move?',
                   event.direction),
                  (f'what shape moves {event.direction}?', shape)]
    elif event.kind in ('appear', 'disappear'):
        pairs += [(f'what shape {ACTION_ANSWERS[event.kind]}?', shape),
                  (f'what colour is the shape that '
                   f'{ACTION_ANSWERS[event.kind]}?', colour)]
    return pairs


def video_questions(events):
    """Unambiguous ``(question, answer)`` pairs about a clip.

    Args:
        events (Sequence[Event]): The clip's events in time order.

    Returns:
        list[tuple[str, str]]: Per-event questions in event order, then
        :data:`COUNT_QUESTION`. A question that two events would
        answer differently (``what shape appears?`` with two appearing
        shapes) is left out.
    """
    pairs = [p for e in events for p in _event_questions(e)]
    pairs.append((COUNT_QUESTION, COUNT_ANSWERS[len(events) - 1]))
    answers = {}
    for question, answer in pairs:
        answers.setdefault(question, set()).add(answer)
    unique = [(q, a) for q, a in pairs if len(answers[q]) == 1]
    return list(dict.fromkeys(unique))


def answer_space():
    """Every answer a question can have, sorted."""
    return sorted({*COLOURS, *SHAPES, *DIRECTIONS, *ACTION_ANSWERS.values(),
                   *COUNT_ANSWERS})


def words(text):
    """Lower-cased words and punctuation marks of ``text``, as BERT's basic
    tokenizer splits them for these ASCII texts.

    Args:
        text (str): Any caption, question or answer.
    """
    return re.findall(r'[a-z0-9]+|[^\sa-z0-9]', text.lower())


def _every_event():
    """One event of every kind, direction and colour pair, for each shape."""
    for shape in SHAPES:
        for colour in COLOURS:
            for direction in DIRECTIONS:
                yield Event(shape, colour, 'move', direction=direction)
            yield Event(shape, colour, 'appear')
            yield Event(shape, colour, 'disappear')
            for new in COLOURS:
                yield Event(shape, colour, 'turn', new_colour=new)


def vocabulary_words():
    """Every word and punctuation mark the corpus text can contain, sorted."""
    texts = [*CONNECTORS, COUNT_QUESTION, *answer_space(),
             shape_list([(c, 'circle') for c in COLOURS])]
    for event in _every_event():
        texts += [event_phrase(event, variant, article)
                  for variant in range(len(_wordings(event)))
                  for article in ARTICLES]
        texts += [question for question, _ in _event_questions(event)]
    return sorted({word for text in texts for word in words(text)})


if __name__ == '__main__':
    sys.exit('synthetic_text.py is a module of make_synthetic.py (it '
             'writes the captions and questions), not a command: run python '
             'tools/data/make_synthetic.py --help')
