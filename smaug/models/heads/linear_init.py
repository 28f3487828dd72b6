"""The default initialisation of the linear layers of the VTC and VTM heads
and the frame selector."""

#: BERT's (and ALBEF's): weights from a normal truncated at 2 std (0.02),
#: biases 0. BaseModule deep-copies it, so sharing the dict is safe.
TRUNC_NORMAL_LINEAR = dict(type='TruncNormal', layer='Linear', std=0.02,
                           bias=0.)
