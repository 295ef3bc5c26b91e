"""Indonesian number words for every number 0-9999, checked against an independent expectation:
a hand-written table for 0-20 and the round numbers, and composition rules written differently
from the implementation (string building by place value, not word lists)."""

from __future__ import annotations

import pytest

from shared.voice import spell_number
from shared.voice.words import letter_words, number_words

TABLE = {
    0: "nol", 1: "satu", 2: "dua", 3: "tiga", 4: "empat", 5: "lima", 6: "enam", 7: "tujuh",
    8: "delapan", 9: "sembilan", 10: "sepuluh", 11: "sebelas", 12: "dua belas",
    13: "tiga belas", 14: "empat belas", 15: "lima belas", 16: "enam belas", 17: "tujuh belas",
    18: "delapan belas", 19: "sembilan belas", 20: "dua puluh",
    30: "tiga puluh", 40: "empat puluh", 50: "lima puluh", 60: "enam puluh", 70: "tujuh puluh",
    80: "delapan puluh", 90: "sembilan puluh",
    100: "seratus", 200: "dua ratus", 300: "tiga ratus", 400: "empat ratus", 500: "lima ratus",
    600: "enam ratus", 700: "tujuh ratus", 800: "delapan ratus", 900: "sembilan ratus",
    1000: "seribu", 2000: "dua ribu", 3000: "tiga ribu", 4000: "empat ribu", 5000: "lima ribu",
    6000: "enam ribu", 7000: "tujuh ribu", 8000: "delapan ribu", 9000: "sembilan ribu",
    # spot checks from the domain notes and common ticket numbers
    21: "dua puluh satu", 101: "seratus satu", 110: "seratus sepuluh",
    111: "seratus sebelas", 123: "seratus dua puluh tiga", 1001: "seribu satu",
    1011: "seribu sebelas", 1100: "seribu seratus", 1999: "seribu sembilan ratus sembilan puluh "
    "sembilan", 2024: "dua ribu dua puluh empat", 9999: "sembilan ribu sembilan ratus sembilan "
    "puluh sembilan",
}  # fmt: skip


def expected(n: int) -> str:
    """Composition: thousands, hundreds and the last two digits, each from the table."""
    if n in TABLE:
        return TABLE[n]
    parts = []
    thousands, hundreds, last_two = n // 1000, n // 100 % 10, n % 100
    if thousands:
        parts.append(TABLE[thousands * 1000])
    if hundreds:
        parts.append(TABLE[hundreds * 100])
    if last_two:
        if last_two <= 20 or last_two % 10 == 0:
            parts.append(TABLE[last_two])
        else:
            parts.append(TABLE[last_two // 10 * 10] + " " + TABLE[last_two % 10])
    return " ".join(parts)


def test_table_itself_is_used_verbatim():
    for n, words in TABLE.items():
        assert spell_number(n) == words, n


def test_every_number_up_to_9999():
    wrong = [
        (n, spell_number(n), expected(n)) for n in range(10000) if spell_number(n) != expected(n)
    ]
    assert wrong == []


def test_properties_over_the_whole_range():
    for n in range(1, 10000):
        words = spell_number(n).split()
        assert "nol" not in words  # leading zeros and zero places are not spoken
        assert "satu" not in words[:-1] or words[-1] == "satu"  # "se-" forms, never "satu ratus"
        assert words.count("ribu") + words.count("seribu") <= 1


def test_words_are_clip_names():
    from shared.voice import REQUIRED_CLIPS

    used = {word for n in range(10000) for word in number_words(n)}
    assert used <= set(REQUIRED_CLIPS)


def test_out_of_range_refused():
    with pytest.raises(ValueError):
        spell_number(-1)
    assert spell_number(12_000) == "dua belas ribu"


def test_prefix_letters_are_spelled():
    assert letter_words("A") == ["a"]
    assert letter_words("bk") == ["be", "ka"]
    assert letter_words("A-1") == ["a"]
