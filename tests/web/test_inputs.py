"""The input layer's pieces: the nesting check before parsing, and the one text cleaner."""

from __future__ import annotations

import time

import pytest

from shared.text import TextRefused, clean_text
from shared.web.inputs import MAX_DEPTH, _depth


@pytest.mark.parametrize(
    ("text", "depth"),
    [
        ("{}", 1),
        ('{"a": [1, {"b": []}]}', 4),
        ('["[[[", {"x": "]]\\"{"}]', 2),  # brackets inside strings do not count
        ("[" * 30_000 + "]" * 30_000, 30_000),
        ('"unterminated [[[', 0),
    ],
)
def test_depth_counts_only_structure(text, depth):
    assert _depth(text) == depth


@pytest.mark.parametrize(
    "text",
    ['"' + '\\"' * 30_000, '"a' * 30_000, "[" * 30_000, '"' * 60_000],
    ids=["escaped quotes", "many strings", "open brackets", "quotes"],
)
def test_depth_is_one_pass_over_60_kb(text):
    """A regex retried from every quote took 13 s on 40 KB of escaped quotes."""
    started = time.perf_counter()
    _depth(text)
    assert time.perf_counter() - started < 1.0
    assert MAX_DEPTH < 30_000


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("  Loket\u00a0Satu ", "Loket\u00a0Satu"),
        ("Pe\u0301ndaftaran", "P\u00e9ndaftaran"),  # NFC
        ("\u200bA\u200bB\u200d", "A\u200bB"),  # zero-width at the edges only
        ("", ""),
    ],
)
def test_clean_text_normalises(typed, kept):
    assert clean_text(typed) == kept


def test_multiline_text_keeps_its_lines():
    assert clean_text("satu\r\ndua\rtiga\tempat", multiline=True) == "satu\ndua\ntiga\tempat"
    with pytest.raises(TextRefused):
        clean_text("satu\ndua")  # a name is one line


@pytest.mark.parametrize(
    "typed",
    ["Bu\x00di", "A\x1bB", "A\x7fB", "A\x85B", "\u202eKCOL", "A\u202aB", "A\u2066B", "A\u2069",
     "\u200b", "\ufeff\u200d ", "A\ud800"],
)  # fmt: skip
def test_clean_text_refuses(typed):
    with pytest.raises(TextRefused) as refused:
        clean_text(typed, multiline=True)
    assert "%(field)s" in refused.value.message
