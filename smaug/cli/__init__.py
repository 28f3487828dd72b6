"""Re-exports."""
from .command_help import command_parser
from .command_line import (add_common_arguments, add_trust_argument,
                           exit_on_config_error, load_config_with_arguments)

__all__ = ['add_common_arguments', 'add_trust_argument', 'command_parser',
           'exit_on_config_error', 'load_config_with_arguments']
