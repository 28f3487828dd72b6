"""``compile=True``: torch.compile of a SMAUG model's Transformer parts."""

#: The parts :func:`compile_parts` compiles (those the model has).
COMPILED_PARTS = ('backbone', 'temporal_encoder', 'text_encoder',
                  'multimodal_encoder', 'mvm_head')


def compile_parts(model, compile):
    """Compile the model's :data:`COMPILED_PARTS` in place.

    ``nn.Module.compile`` keeps parameter names, so checkpoints load as
    before. Unlike the Runner's ``cfg.compile`` (the whole ``train_step``),
    tokenisation, loss bookkeeping and the optimizer stay eager.

    Args:
        model (torch.nn.Module): The model.
        compile (bool | dict): False does nothing; a dict gives
            torch.compile's options, e.g. ``dict(mode='max-autotune')``.
    """
    if not compile:
        return
    options = compile if isinstance(compile, dict) else {}
    for name in COMPILED_PARTS:
        part = getattr(model, name, None)
        if part is not None:
            part.compile(**options)
