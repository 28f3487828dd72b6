"""Procedural scenes of the synthetic corpus: what shapes do, frame by frame.

A scene is pure data, no pixels: a tuple of :class:`Event` (one per shape:
``a red circle moves left``) and a tuple of :class:`Frame` (per frame, the
shapes on screen with their colour and position, or the distractor that
replaces the frame). ``synthetic_render.py`` draws scenes and
``synthetic_text.py`` describes them, so captions cannot drift from pixels.

Timeline of a clip of T frames with E events (1 to 3, at most T // 2):

1. Distractor frames are placed first, at random positions, in about half of
   the clips (at most ``max(1, T // 5)``, and never so many that an event is
   left with fewer than two frames): ``noise`` (uniform random pixels),
   ``blank`` (black) or ``shake`` (the neighbouring content frame translated
   by a large random offset, like a jolted camera).
2. The remaining content frames are cut into E contiguous segments, one per
   event, in caption order. During its segment a ``move`` shape travels
   ``MOVE_DISTANCE`` of the frame side in its direction; ``appear`` /
   ``disappear`` / ``turn`` take effect half-way through the segment.
3. Outside its own segment a shape is static and shows the state before
   (earlier segments) or after (later segments) its event: an ``appear``
   shape is absent until it appears, a ``disappear`` shape absent after it
   vanished, a ``turn`` shape shows its old colour, then its new one.

Every shape of a clip has a different form, so "the circle" is unambiguous.
Positions are fractions of the frame side (origin top-left), so one scene
renders at any ``--size``.
"""
import sys
from dataclasses import dataclass
from typing import Optional, Tuple

import numpy as np

SHAPES = ('circle', 'square', 'triangle', 'diamond', 'cross', 'star')
COLOURS = ('red', 'green', 'blue', 'yellow', 'purple', 'orange', 'white')
DIRECTIONS = {'left': (-1, 0), 'right': (1, 0), 'up': (0, -1), 'down': (0, 1)}
EVENT_KINDS = ('move', 'appear', 'disappear', 'turn')
DISTRACTOR_KINDS = ('noise', 'blank', 'shake')

# Probability of an event kind; moves come in four directions, so they get
# the largest share.
EVENT_KIND_PROBS = (0.4, 0.2, 0.2, 0.2)
# Probability of a clip having 1, 2 or 3 events.
NUM_EVENTS_PROBS = (0.35, 0.45, 0.2)
DISTRACTOR_CLIP_PROB = 0.5
RADIUS = 0.13          # shape radius, fraction of the frame side
MOVE_DISTANCE = 0.4    # how far a moving shape travels
MARGIN = RADIUS + 0.02  # closest a shape centre gets to the border
MIN_GAP = 2 * RADIUS + 0.04  # wanted distance between two shapes' centres
SHAKE_RANGE = (0.12, 0.25)   # |offset| of a shake frame, fraction of side
PLACEMENT_TRIES = 50


@dataclass(frozen=True)
class Event:
    """What one shape does in a clip.

    Args:
        shape (str): One of :data:`SHAPES`.
        colour (str): Its colour when the clip starts.
        kind (str): One of :data:`EVENT_KINDS`.
        direction (str, optional): Key of :data:`DIRECTIONS` (``move`` only).
        new_colour (str, optional): Colour after a ``turn``.
    """
    shape: str
    colour: str
    kind: str
    direction: Optional[str] = None
    new_colour: Optional[str] = None


@dataclass(frozen=True)
class Sprite:
    """One shape as drawn in one frame.

    Args:
        shape (str): One of :data:`SHAPES`.
        colour (str): One of :data:`COLOURS`.
        x (float): Centre, fraction of the frame width from the left.
        y (float): Centre, fraction of the frame height from the top.
    """
    shape: str
    colour: str
    x: float
    y: float


@dataclass(frozen=True)
class Frame:
    """Everything needed to draw one frame.

    Args:
        sprites (tuple[Sprite]): Shapes on screen, drawn in order.
        distractor (str, optional): One of :data:`DISTRACTOR_KINDS`, or None
            for a content frame.
        shift (tuple[float, float]): Translation of a ``shake`` frame,
            fractions of the side.
        noise_seed (int): Seed of a ``noise`` frame's pixels.
    """
    sprites: Tuple[Sprite, ...]
    distractor: Optional[str] = None
    shift: Tuple[float, float] = (0.0, 0.0)
    noise_seed: int = 0


@dataclass(frozen=True)
class Scene:
    """A clip: its events (caption order) and its frames.

    Args:
        events (tuple[Event]): One per shape.
        frames (tuple[Frame]): One per frame of the clip.
    """
    events: Tuple[Event, ...]
    frames: Tuple[Frame, ...]

    @property
    def distractors(self):
        """list[tuple[int, str]]: ``(frame index, kind)`` of each
        distractor frame."""
        return [(t, f.distractor) for t, f in enumerate(self.frames)
                if f.distractor is not None]


def sample_event(rng, shape):
    """Draw a random event for ``shape``.

    Args:
        rng (numpy.random.Generator): Source of randomness.
        shape (str): The shape the event happens to.
    """
    colour = str(rng.choice(COLOURS))
    kind = str(rng.choice(EVENT_KINDS, p=EVENT_KIND_PROBS))
    if kind == 'move':
        return Event(shape, colour, kind, direction=str(rng.choice(
            list(DIRECTIONS))))
    if kind == 'turn':
        others = [c for c in COLOURS if c != colour]
        return Event(shape, colour, kind, new_colour=str(rng.choice(others)))
    return Event(shape, colour, kind)


def _sample_track(rng, event):
    """Start and end centre of ``event``'s shape (equal unless it moves).

    Args:
        rng (numpy.random.Generator): Source of randomness.
        event (Event): The event.
    """
    low, high = MARGIN, 1 - MARGIN
    start = rng.uniform(low, high, size=2)
    if event.kind != 'move':
        return start, start
    step = np.array(DIRECTIONS[event.direction], dtype=float)
    axis = int(np.argmax(np.abs(step)))
    if step[axis] > 0:
        start[axis] = rng.uniform(low, high - MOVE_DISTANCE)
    else:
        start[axis] = rng.uniform(low + MOVE_DISTANCE, high)
    return start, start + MOVE_DISTANCE * step


def _footprint(track):
    """Points a track passes through: start, middle and end.

    Args:
        track (tuple[ndarray, ndarray]): Start and end centre.
    """
    start, end = track
    return np.stack([start, (start + end) / 2, end])


def place_events(rng, events):
    """Start and end centres of every event's shape, kept apart if possible.

    A track is redrawn up to ``PLACEMENT_TRIES`` times until its footprint is
    ``MIN_GAP`` away from the tracks placed before; the last draw is kept
    otherwise (shapes may then touch, which is harmless).

    Args:
        rng (numpy.random.Generator): Source of randomness.
        events (Sequence[Event]): The clip's events.

    Returns:
        list[tuple[ndarray, ndarray]]: ``(start, end)`` per event.
    """
    tracks = []
    for event in events:
        for _ in range(PLACEMENT_TRIES):
            track = _sample_track(rng, event)
            points = _footprint(track)
            if all(np.min(np.linalg.norm(points[:, None] - _footprint(
                    other)[None], axis=-1)) >= MIN_GAP for other in tracks):
                break
        tracks.append(track)
    return tracks


def _sprite_state(event, track, progress, changed):
    """The sprite of one event's shape at one moment, or None if hidden.

    Args:
        event (Event): The shape's event.
        track (tuple[ndarray, ndarray]): Its start and end centre.
        progress (float): 0 before its event, 1 after, in between during.
        changed (bool): Whether an appear/disappear/turn took effect.
    """
    if (event.kind == 'appear' and not changed) or (
            event.kind == 'disappear' and changed):
        return None
    start, end = track
    x, y = start + progress * (end - start)
    colour = event.new_colour if event.kind == 'turn' and changed else \
        event.colour
    return Sprite(event.shape, colour, round(float(x), 6), round(float(y), 6))


def content_sprites(events, tracks, segment, local, length):
    """Sprites of a content frame.

    Args:
        events (Sequence[Event]): The clip's events.
        tracks (Sequence[tuple]): Their tracks (:func:`place_events`).
        segment (int): Index of the event whose segment the frame is in.
        local (int): Position of the frame inside that segment.
        length (int): Number of frames in that segment (at least 2).
    """
    sprites = []
    for index, (event, track) in enumerate(zip(events, tracks)):
        if index < segment:
            progress, changed = 1.0, True
        elif index > segment:
            progress, changed = 0.0, False
        else:
            progress, changed = local / (length - 1), local >= length // 2
        sprite = _sprite_state(event, track, progress, changed)
        if sprite is not None:
            sprites.append(sprite)
    return tuple(sprites)


def sample_distractor_positions(rng, num_frames, num_events):
    """Indices of the frames to replace by distractors (sorted, maybe none).

    Args:
        rng (numpy.random.Generator): Source of randomness.
        num_frames (int): Frames in the clip.
        num_events (int): Events in the clip; each keeps two content frames.
    """
    most = min(max(1, num_frames // 5), num_frames - 2 * num_events)
    if most <= 0 or rng.random() >= DISTRACTOR_CLIP_PROB:
        return []
    count = int(rng.integers(1, most + 1))
    return sorted(int(t) for t in rng.choice(num_frames, count, replace=False))


def _distractor_frame(rng, kind, neighbour):
    """A distractor frame.

    Args:
        rng (numpy.random.Generator): Source of randomness.
        kind (str): One of :data:`DISTRACTOR_KINDS`.
        neighbour (tuple[Sprite]): Sprites a ``shake`` frame shows, shifted.
    """
    if kind == 'shake':
        size = rng.uniform(*SHAKE_RANGE, size=2)
        sign = rng.choice([-1.0, 1.0], size=2)
        shift = tuple(round(float(v), 6) for v in size * sign)
        return Frame(neighbour, kind, shift=shift)
    if kind == 'noise':
        return Frame((), kind, noise_seed=int(rng.integers(2**31)))
    return Frame((), kind)


def sample_scene(rng, num_frames):
    """Draw a random clip: events, placement, distractors and frames.

    Args:
        rng (numpy.random.Generator): Source of randomness.
        num_frames (int): Frames in the clip (at least 2).

    Returns:
        Scene: The clip.
    """
    max_events = min(len(NUM_EVENTS_PROBS), num_frames // 2)
    probs = np.array(NUM_EVENTS_PROBS[:max_events])
    num_events = int(rng.choice(np.arange(1, max_events + 1),
                                p=probs / probs.sum()))
    shapes = rng.choice(SHAPES, num_events, replace=False)
    events = tuple(sample_event(rng, str(shape)) for shape in shapes)
    tracks = place_events(rng, events)
    distractor_at = sample_distractor_positions(rng, num_frames, num_events)
    content = [t for t in range(num_frames) if t not in distractor_at]
    sprites = {}
    for segment, frames in enumerate(np.array_split(content, num_events)):
        for local, t in enumerate(frames):
            sprites[int(t)] = content_sprites(events, tracks, segment, local,
                                              len(frames))
    frames = []
    for t in range(num_frames):
        if t in sprites:
            frames.append(Frame(sprites[t]))
            continue
        before = [c for c in content if c < t]
        neighbour = sprites[before[-1] if before else content[0]]
        kind = str(rng.choice(DISTRACTOR_KINDS))
        frames.append(_distractor_frame(rng, kind, neighbour))
    return Scene(events, tuple(frames))


def sample_still(rng, max_shapes=2):
    """Draw a still image: one or more static shapes of different forms.

    Args:
        rng (numpy.random.Generator): Source of randomness.
        max_shapes (int): Largest number of shapes.

    Returns:
        Frame: The image, as a content frame.
    """
    count = int(rng.integers(1, max_shapes + 1))
    shapes = rng.choice(SHAPES, count, replace=False)
    # Any kind but 'move' keeps a shape still; only shape and colour matter.
    events = [Event(str(s), str(rng.choice(COLOURS)), 'appear')
              for s in shapes]
    tracks = place_events(rng, events)
    return Frame(tuple(
        Sprite(e.shape, e.colour, round(float(start[0]), 6),
               round(float(start[1]), 6))
        for e, (start, _) in zip(events, tracks)))


if __name__ == '__main__':
    sys.exit('synthetic_scenes.py is a module of make_synthetic.py (it '
             'samples what happens in the clips), not a command: run python '
             'tools/data/make_synthetic.py --help')
