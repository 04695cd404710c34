"""The C allocator keeps freed memory for the next batch instead of faulting it in again."""
import platform
import subprocess
import sys

import pytest

from pipeline.allocator import keep_freed_memory

# Allocates, fills and frees a block four times in a fresh process (so no earlier tuning
# applies); prints the page faults of the last three.
CYCLES = """
import ctypes, ctypes.util, resource, sys
from pipeline.allocator import keep_freed_memory
keep_freed_memory(int(sys.argv[1]))
libc = ctypes.CDLL(ctypes.util.find_library("c"))
libc.malloc.restype, libc.malloc.argtypes, libc.free.argtypes = ctypes.c_void_p, [ctypes.c_size_t], [ctypes.c_void_p]
size = 100 << 20  # above glibc's largest default mmap threshold (32 MB)
def cycle():
    block = libc.malloc(size)
    ctypes.memset(block, 1, size)
    libc.free(block)
cycle()
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(3):
    cycle()
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""
PAGES = (100 << 20) // 4096


def faults_after_first_block(keep_mb: int) -> int:
    return int(subprocess.run([sys.executable, "-c", CYCLES, str(keep_mb)], capture_output=True, text=True, check=True).stdout)


def test_zero_leaves_the_allocator_alone():
    assert keep_freed_memory(0) is False


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="mallopt is glibc's")
def test_freed_blocks_are_reused_without_faulting_their_pages_in_again():
    by_default, kept = faults_after_first_block(0), faults_after_first_block(256)
    assert by_default > PAGES, "glibc's default: the blocks are faulted in again"
    assert kept < by_default / 10
