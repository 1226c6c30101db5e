"""Caching across processes started by torch's own launcher (`torchrun --nproc-per-node N -m toolken
train ...`, or `accelerate launch`): each process (rank) caches a block of the demonstrations with its
own device, waits for the others at a barrier, and rank 0 trains on the union. The processes only
meet at that barrier, so gloo carries it on any machine (with or without GPUs); the cached states
pass through the filesystem (`TOOLKEN_CACHE`, which must be shared when the ranks span machines)."""

from __future__ import annotations

import os
from datetime import timedelta

import torch.distributed as dist

BARRIER_TIMEOUT = timedelta(hours=24)  # the barrier waits for the slowest rank's whole caching pass
_joined = False  # whether this module started the process group (a caller's own group is left alone)


def rank_and_world() -> tuple[int, int]:
    """This process's rank and the number of processes, from the launcher's environment ((0, 1) alone)."""
    return int(os.environ.get("RANK", "0")), int(os.environ.get("WORLD_SIZE", "1"))


def is_launched() -> bool:
    """Whether this process is one of several started by a distributed launcher."""
    return rank_and_world()[1] > 1


def barrier() -> None:
    """Wait until every rank arrives (joining the process group on first use); alone, return at once."""
    global _joined
    if not is_launched():
        return
    if not dist.is_initialized():
        dist.init_process_group("gloo", timeout=BARRIER_TIMEOUT)
        _joined = True
    dist.barrier()


def leave() -> None:
    """Leave the process group `barrier` started, if it did."""
    global _joined
    if _joined and dist.is_initialized():
        dist.destroy_process_group()
    _joined = False
