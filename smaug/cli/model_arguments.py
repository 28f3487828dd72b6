"""The options of :func:`smaug.apis.init_model` on a tool's command line."""
from smaug.apis import init_model
from .command_line import add_cfg_options_argument, add_trust_argument


def add_model_arguments(parser):
    """Add the positional ``config`` and ``checkpoint``, ``--device``,
    ``--trust-checkpoint`` and ``--cfg-options``.
    """
    parser.add_argument('config', help='model config')
    parser.add_argument('checkpoint', help='checkpoint of that model')
    parser.add_argument('--device', default='cpu',
                        help='e.g. cuda:0 (default: %(default)s)')
    add_trust_argument(parser)
    add_cfg_options_argument(parser)


def init_model_from_args(args):
    """:func:`~smaug.apis.init_model` with the parsed options of
    :func:`add_model_arguments`.
    """
    return init_model(args.config, args.checkpoint, args.device,
                      args.cfg_options, args.trust_checkpoint)
