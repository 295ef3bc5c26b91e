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
MAX_POLI = 80  # a service's name (the server looks it up: the TV never sends free text)


@dataclass(frozen=True)
class Call:
    """A call as spoken: prefix letters, the ticket's number of the day, the counter's number.

    ``poli`` (a service's name) makes it a call to a consulting room: "silakan ke Poli Anak,
    ruang tiga" instead of "silakan menuju loket tiga" (see ``payloads.room_service``).
    """

    prefix: str
    number: int
    counter: int
    poli: str | None = None

    @classmethod
    def parse(
        cls, prefix: str, number: str | int, counter: str | int, poli: str | None = None
    ) -> Call:
        """Checked input (bounded, so a phrase cache cannot grow without limit); ValueError."""
        prefix = (prefix or "").strip().upper()
        if not PREFIX_PATTERN.match(prefix):
            raise ValueError("prefix: one to three letters")
        number, counter = int(number), int(counter)
        if not (0 <= number <= MAX_SEQUENCE and 0 <= counter <= MAX_COUNTER):
            raise ValueError("number or counter out of range")
        poli = " ".join((poli or "").split()) or None
        if poli is not None and len(poli) > MAX_POLI:
            raise ValueError("poli: a service's name")
        return cls(prefix, number, counter, poli)

    @property
    def recordable(self) -> bool:
        """Recorded clips can say it (a poli's name is free text: a speech engine says that)."""
        return self.poli is None

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
        if self.poli:
            return (
                f"Nomor antrean, {letters}, {spell_number(self.number)}, "
                f"silakan ke {self.poli}, ruang {spell_number(self.counter)}."
            )
        return (
            f"Nomor antrean, {letters}, {spell_number(self.number)}, "
            f"silakan menuju loket {spell_number(self.counter)}."
        )

    def text_en(self) -> str:
        letters = " ".join(self.prefix)
        if self.poli:
            return (
                f"Ticket number {letters}, {self.number}, "
                f"please go to {self.poli}, room {self.counter}."
            )
        return f"Ticket number {letters}, {self.number}, please go to counter {self.counter}."

    def text(self, lang: str) -> str:
        return self.text_en() if lang == "en" else self.text_id()
