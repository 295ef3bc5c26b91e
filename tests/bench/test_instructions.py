"""bench/instructions.py: Valgrind's counts cut into phases at each ``os.getppid()``. The whole
benchmark takes minutes under Valgrind, so it runs by hand; here the cutting is checked on a
small program whose phases do known amounts of work."""

from __future__ import annotations

import shutil
import sys

import pytest

from bench.instructions import count_parts

pytestmark = pytest.mark.skipif(
    shutil.which("valgrind") is None, reason="needs Valgrind (apt-get install valgrind)"
)

PROGRAM = """
import os
os.getppid()
sum(range(10**5))
os.getppid()
sum(range(10**6))
os.getppid()
"""


def test_each_phase_is_counted_apart(tmp_path):
    start, small, large, end = count_parts([sys.executable, "-c", PROGRAM], tmp_path)
    assert start > small  # the interpreter's start-up, more than the small phase
    assert 5 * small < large < 20 * small  # ten times the work, about ten times the count
    assert end < small
