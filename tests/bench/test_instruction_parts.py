"""bench/instruction_parts.py: functions marked on entry and return, Valgrind's parts named by
the marks around them. The whole benchmark runs by hand; here the marking and the naming are
checked on small programs."""

from __future__ import annotations

import shutil
import sys
import types
from pathlib import Path

import pytest

from bench import instruction_parts
from bench.instructions import count_parts

ROOT = Path(__file__).resolve().parents[2]


def test_parts_are_named_by_the_marks_around_them():
    labels = ["request", ">f", "<f", "request", ">f", "<f", "end"]
    parts = [1000, 5, 20, 7, 5, 22, 7, 900]
    assert instruction_parts.parts_by_mark(labels, parts) == {
        "request -> >f": 10,
        ">f -> <f": 42,
        "<f -> request": 7,
        "<f -> end": 7,
    }


@pytest.fixture
def module(monkeypatch):
    made = types.ModuleType("marked_here")

    def work(value):
        if value < 0:
            raise ValueError(value)
        return value * 2

    made.work = work
    made.CHAIN = (work,)
    monkeypatch.setitem(sys.modules, "marked_here", made)
    monkeypatch.setattr(instruction_parts, "marks", [])
    monkeypatch.setattr(instruction_parts, "_on", [False])
    return made


def test_a_marked_function_marks_its_entry_and_return_only_while_on(module):
    instruction_parts.mark("marked_here:work@marked_here:CHAIN")
    assert module.work(2) == 4 and instruction_parts.marks == []
    instruction_parts._on[0] = True
    assert module.CHAIN[0](3) == 6
    with pytest.raises(ValueError):
        module.work(-1)
    assert instruction_parts.marks == [">work", "<work", ">work", "<work"]


PROGRAM = f"""
import sys
sys.path.insert(0, {str(ROOT)!r})
from bench import instruction_parts as parts

def small():
    return sum(range(10**5))

def large():
    return sum(range(10**6))

parts.mark("__main__:small")
parts.mark("__main__:large")
parts._on[0] = True
parts._mark("request")
small()
large()
parts._mark("end")
print(" ".join(parts.marks))
"""


@pytest.mark.skipif(shutil.which("valgrind") is None, reason="needs Valgrind")
def test_each_marked_function_is_counted_apart(tmp_path):
    parts = count_parts([sys.executable, "-c", PROGRAM], tmp_path)
    labels = ["request", ">small", "<small", ">large", "<large", "end"]
    assert len(parts) == len(labels) + 1
    found = instruction_parts.parts_by_mark(labels, parts)
    small, large = found[">small -> <small"], found[">large -> <large"]
    assert 5 * small < large < 20 * small
    assert found["<small -> >large"] < small
