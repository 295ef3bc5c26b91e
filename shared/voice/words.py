"""Numbers and letters as Bahasa Indonesia speaks them: 123 -> "seratus dua puluh tiga"."""

from __future__ import annotations

UNITS = ("nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan")
# How a letter of a ticket prefix is read aloud (the Indonesian alphabet).
LETTERS = {
    "A": "a", "B": "be", "C": "ce", "D": "de", "E": "e", "F": "ef", "G": "ge", "H": "ha",
    "I": "i", "J": "je", "K": "ka", "L": "el", "M": "em", "N": "en", "O": "o", "P": "pe",
    "Q": "ki", "R": "er", "S": "es", "T": "te", "U": "u", "V": "ve", "W": "we", "X": "eks",
    "Y": "ye", "Z": "zet",
}  # fmt: skip
MAX_NUMBER = 999_999


def _below_thousand(n: int) -> list[str]:
    """Words for 1..999 (zero says nothing here: 100 is "seratus", not "seratus nol")."""
    words: list[str] = []
    hundreds, rest = divmod(n, 100)
    if hundreds == 1:
        words.append("seratus")
    elif hundreds > 1:
        words += [UNITS[hundreds], "ratus"]
    if rest == 10:
        words.append("sepuluh")
    elif rest == 11:
        words.append("sebelas")
    elif 12 <= rest <= 19:
        words += [UNITS[rest - 10], "belas"]
    elif rest >= 20:
        tens, units = divmod(rest, 10)
        words += [UNITS[tens], "puluh"]
        if units:
            words.append(UNITS[units])
    elif rest > 0:
        words.append(UNITS[rest])
    return words


def number_words(n: int) -> list[str]:
    """The words of ``n`` (0..999999) one by one: each is also the name of a recorded clip."""
    if not 0 <= n <= MAX_NUMBER:
        raise ValueError(f"{n} is outside 0..{MAX_NUMBER}")
    if n == 0:
        return ["nol"]
    thousands, rest = divmod(n, 1000)
    words: list[str] = []
    if thousands == 1:
        words.append("seribu")
    elif thousands > 1:
        words += [*_below_thousand(thousands), "ribu"]
    return words + _below_thousand(rest)


def spell_number(n: int) -> str:
    """123 -> "seratus dua puluh tiga"; 1000 -> "seribu"; 0 -> "nol"."""
    return " ".join(number_words(n))


def letter_words(prefix: str) -> list[str]:
    """A multi-letter prefix is spelled letter by letter; anything else is skipped."""
    return [LETTERS[ch] for ch in prefix.upper() if ch in LETTERS]
