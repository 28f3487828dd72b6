"""The errors decord's FFmpeg reports while it opens or decodes a video.

decord hides damage: FFmpeg conceals a damaged frame (smeared blocks, parts
of other frames) and only *logs* an error ("ac-tex damaged at 3 0", "Error
at MB: 17"), which decord neither checks nor raises, so a bit-flipped file
decodes into garbage without a word. decord's wheel carries its own FFmpeg
(``decord.libs/libavutil-*``); this module installs a log callback in that
library. Inside :func:`collect_errors` the messages of error level are
collected for the caller, which then treats the frames as damaged; other
messages go to stderr as FFmpeg would print them (those within its log
level). A clean file costs next to nothing: for the few debug messages
FFmpeg emits per packet the callback only compares their level with the log
level.

:data:`AVAILABLE` is False, and nothing is collected, where that library is
not found (another decord build), where decord's FFI is not ctypes (its
Cython FFI may hold the GIL while decoding, and the callback, called from
decord's decoding thread, would wait for it forever), or off x86-64 (the
callback passes FFmpeg's ``va_list`` on, as that ABI allows).

The collected messages belong to whatever this process decoded inside the
block: smaug reads one video at a time per process (dataloader workers are
processes); threads decoding in parallel would share them.
"""
import atexit
import contextlib
import ctypes
import glob
import os.path as osp
import platform
import re
import sys

import decord
from decord._ffi import function as decord_ffi

AV_LOG_ERROR = 16
_collected = None  # the list of the innermost collect_errors(), if any


def _decord_avutil():
    """decord's own libavutil, or None when it cannot be found or used."""
    if platform.machine() not in ('x86_64', 'AMD64'):
        return None
    if not any('_ctypes' in base.__module__
               for base in decord_ffi.Function.__mro__):
        return None
    package = osp.dirname(decord.__file__)
    found = sorted(
        glob.glob(osp.join(package, '..', 'decord.libs', 'libavutil*')) +
        glob.glob(osp.join(package, '.dylibs', 'libavutil*')))
    return ctypes.CDLL(found[0]) if found else None


def _message(avutil, context, level, fmt, args):
    """One log line as FFmpeg formats it, without the context's address."""
    line = ctypes.create_string_buffer(1024)
    print_prefix = ctypes.c_int(1)
    avutil.av_log_format_line(context, level, fmt, args, line, len(line),
                              ctypes.byref(print_prefix))
    text = line.value.decode('utf-8', 'replace').strip()
    return re.sub(r' @ 0x[0-9a-fA-F]+\]', ']', text)


def _install():
    """Route decord's FFmpeg log through :func:`_on_log`; return the
    ctypes callback (kept alive by the caller) or None."""
    avutil = _decord_avutil()
    if avutil is None:
        return None
    avutil.av_log_format_line.argtypes = [
        ctypes.c_void_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_void_p,
        ctypes.c_char_p, ctypes.c_int,
        ctypes.POINTER(ctypes.c_int)
    ]
    callback_type = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_int,
                                     ctypes.c_char_p, ctypes.c_void_p)

    def on_log(context, level, fmt, args):
        if level > avutil.av_log_get_level():
            return
        text = _message(avutil, context, level, fmt, args)
        if _collected is not None and level <= AV_LOG_ERROR:
            _collected.append(text)
        elif text:
            sys.stderr.write(text + '\n')

    callback = callback_type(on_log)
    avutil.av_log_set_callback(callback)
    # FFmpeg's own printing again before Python shuts down
    atexit.register(avutil.av_log_set_callback,
                    avutil.av_log_default_callback)
    return callback


_CALLBACK = _install()
AVAILABLE = _CALLBACK is not None


@contextlib.contextmanager
def collect_errors():
    """Collect the errors decord's FFmpeg logs inside the block.

    Yields:
        list[str]: Filled with messages such as ``'[mpeg4] Error at MB:
        17'`` (stays empty where :data:`AVAILABLE` is False).
    """
    global _collected
    outer, _collected = _collected, []
    try:
        yield _collected
    finally:
        _collected = outer
