"""Ending a distributed run without aborting its processes."""
from torch import distributed as dist


def close_distributed():
    """End a distributed run cleanly: wait for every process, then destroy
    the process group. Without it, gloo's threads can still be running while
    the interpreter exits, and a process aborts (SIGABRT, "terminate called
    without an active exception") after its work is done. Does nothing in a
    single-process run."""
    if dist.is_available() and dist.is_initialized():
        dist.barrier()
        dist.destroy_process_group()
