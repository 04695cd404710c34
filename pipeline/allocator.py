"""Tuning of the C allocator for the statistical pass.

spaCy allocates and frees arrays of tens of megabytes for every batch. By default glibc
returns such blocks to the system as soon as they are freed, and the next batch faults
the same amount back in, a page at a time: on 1000 articles that was about a second of
system time, a quarter of it spent zeroing pages. Keeping the freed memory in the process
costs at most the configured amount and does not grow with the corpus.
"""
from __future__ import annotations

import ctypes
import ctypes.util

# mallopt parameters, from glibc's malloc.h.
M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3


def keep_freed_memory(megabytes: int) -> bool:
    """Ask glibc to serve blocks below ``megabytes`` from its heap and to keep up to that much
    freed memory. False where there is nothing to tune (0 asked, or not glibc)."""
    if megabytes <= 0:
        return False
    try:
        mallopt = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").mallopt
    except (OSError, AttributeError):
        return False
    size = megabytes << 20
    return bool(mallopt(M_MMAP_THRESHOLD, size)) and bool(mallopt(M_TRIM_THRESHOLD, size))
