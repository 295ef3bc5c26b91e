"""The three identifiers a hospital asks for, checked and masked.

- BPJS card number (nomor kartu JKN): exactly 13 digits.
- NIK (nomor induk kependudukan): exactly 16 digits, ``PPKKCC DDMMYY SSSS``: province, regency
  and district codes, the date of birth (a woman's day plus 40) and a serial. Only the date part
  is checked (day 01–31 or 41–71, month 01–12): the region codes change with new regencies and
  the year has no century, so more would refuse real cards.
- Medical-record number (nomor rekam medis): the hospital's own, 1–20 letters, digits or hyphens.

Messages never repeat the value: an error may be logged, the identifier may not.
"""

from __future__ import annotations

import re

from shared.queue.errors import N_, DomainError

CARD_DIGITS = 13
NIK_DIGITS = 16
SHOWN_DIGITS = 4  # the last four, as banks print a card number
MEDICAL_RECORD = re.compile(r"^[A-Za-z0-9-]{1,20}$")

CARD_MESSAGE = N_("The BPJS card number (card_number) must be exactly 13 digits.")
NIK_MESSAGE = N_("The NIK (nik) must be 16 digits with a valid date of birth.")
MEDICAL_RECORD_MESSAGE = N_(
    "The medical record number (medical_record) may have 1 to 20 letters, digits or hyphens."
)


class InvalidIdentifier(DomainError):
    status = 422
    code = "invalid_input"

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def _digits(value: str, count: int) -> bool:
    # isdigit() would take "²" or Arabic-Indic digits; only ASCII 0-9 are on a card.
    return len(value) == count and all("0" <= c <= "9" for c in value)


def check_card_number(value: str) -> str:
    if not _digits(value, CARD_DIGITS):
        raise InvalidIdentifier("card_number", CARD_MESSAGE)
    return value


def check_nik(value: str) -> str:
    if not _digits(value, NIK_DIGITS):
        raise InvalidIdentifier("nik", NIK_MESSAGE)
    day, month = int(value[6:8]), int(value[8:10])
    if day > 40:  # women: day of birth + 40
        day -= 40
    if not (1 <= day <= 31 and 1 <= month <= 12):
        raise InvalidIdentifier("nik", NIK_MESSAGE)
    return value


def check_medical_record(value: str) -> str:
    if not MEDICAL_RECORD.match(value):
        raise InvalidIdentifier("medical_record", MEDICAL_RECORD_MESSAGE)
    return value


CHECKS = {
    "card_number": check_card_number,
    "nik": check_nik,
    "medical_record": check_medical_record,
}


def mask_identifier(value: str | None) -> str | None:
    """``"0001234567890"`` → ``"*********7890"``: the length kept, only the last four shown.

    Four characters or fewer are masked whole: a short medical record would otherwise show all.
    """
    if value is None:
        return None
    if len(value) <= SHOWN_DIGITS:
        return "*" * len(value)
    return "*" * (len(value) - SHOWN_DIGITS) + value[-SHOWN_DIGITS:]
