"""What is said for a call, as clip names (recorded words) and as text (for speech engines)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from shared.voice.words import LETTERS, letter_words, number_words, spell_number

OPENING, TOWARDS = "nomor_antrean", "silakan_menuju_loket"  # "antrean", as every screen says
# Clips recorded under an earlier name are still found (and imported) under their new one.
RENAMED_CLIPS = {"nomor_antrian": OPENING}
# Every word a call can need, in the order the recording page lists them.
REQUIRED_CLIPS: tuple[str, ...] = (
    OPENING,
    TOWARDS,
    *dict.fromkeys(LETTERS.values()),
    "nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan",
    "sepuluh", "sebelas", "belas", "puluh", "seratus", "ratus", "seribu", "ribu",
)  # fmt: skip
CLIP_LABELS = {OPENING: "nomor antrean", TOWARDS: "silakan menuju loket"}
PREFIX_PATTERN = re.compile(r"^[A-Z]{1,3}$")
MAX_SEQUENCE, MAX_COUNTER = 9999, 999


@dataclass(frozen=True)
class Call:
    """A call as spoken: prefix letters, the ticket's number of the day, the counter's number."""

    prefix: str
    number: int
    counter: int

    @classmethod
    def parse(cls, prefix: str, number: str | int, counter: str | int) -> Call:
        """Checked input (bounded, so a phrase cache cannot grow without limit); ValueError."""
        prefix = (prefix or "").strip().upper()
        if not PREFIX_PATTERN.match(prefix):
            raise ValueError("prefix: one to three letters")
        number, counter = int(number), int(counter)
        if not (0 <= number <= MAX_SEQUENCE and 0 <= counter <= MAX_COUNTER):
            raise ValueError("number or counter out of range")
        return cls(prefix, number, counter)

    def clips(self) -> list[str]:
        """Clip names, in order: ["nomor_antrean", "a", "seratus", ..., "lima"]."""
        return [
            OPENING,
            *letter_words(self.prefix),
            *number_words(self.number),
            TOWARDS,
            *number_words(self.counter),
        ]

    def text_id(self) -> str:
        """ "Nomor antrean, a, seratus dua puluh tiga, silakan menuju loket lima." """
        letters = " ".join(letter_words(self.prefix))
        return (
            f"Nomor antrean, {letters}, {spell_number(self.number)}, "
            f"silakan menuju loket {spell_number(self.counter)}."
        )

    def text_en(self) -> str:
        letters = " ".join(self.prefix)
        return f"Ticket number {letters}, {self.number}, please go to counter {self.counter}."

    def text(self, lang: str) -> str:
        return self.text_en() if lang == "en" else self.text_id()
