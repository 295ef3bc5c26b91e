"""Cleaning the text people type (names, notes, admin texts), in one place for JSON and forms.

NFC, trimmed; refused when it holds control characters (NUL among them), bidi overrides or
isolates (a name that reads "KCOL" but shows as "LOCK" on the TV), lone surrogates, or when
nothing visible is left once zero-width characters are taken away. No Flask here: the caller
names the field and translates the message.
"""

from __future__ import annotations

import re
import unicodedata

from shared.queue.errors import N_

# Embeddings and overrides (U+202A–202E), isolates (U+2066–2069).
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
SURROGATES = re.compile("[\ud800-\udfff]")
# Characters that take no room: zero-width space, non-joiner, joiner, word joiner, BOM,
# soft hyphen, Mongolian vowel separator, LRM/RLM.
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u200e\u200f"
LINE_BREAKS = re.compile(r"\r\n?")
EDGES = re.compile(f"^[\\s{ZERO_WIDTH}]+|[\\s{ZERO_WIDTH}]+$")


class TextRefused(ValueError):
    """The text cannot be stored; ``message`` is an English message id with %(field)s."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _is_control(char: str, multiline: bool) -> bool:
    if multiline and char in "\n\t":
        return False
    return unicodedata.category(char) == "Cc"


def clean_text(value: str, *, multiline: bool = False) -> str:
    """``value`` normalised (NFC, trimmed, line breaks as \\n), or TextRefused."""
    if SURROGATES.search(value):
        raise TextRefused(N_("%(field)s contains characters that are not allowed."))
    text = unicodedata.normalize("NFC", LINE_BREAKS.sub("\n", value))
    if any(_is_control(char, multiline) for char in text):
        raise TextRefused(N_("%(field)s contains control characters (such as NUL)."))
    if BIDI_CONTROLS.search(text):
        raise TextRefused(N_("%(field)s contains text direction controls."))
    trimmed = EDGES.sub("", text)
    if text.strip() and not trimmed:
        raise TextRefused(N_("%(field)s has no visible characters."))
    return trimmed
