"""Refusals in BPJS's terms: metadata.code 201 (refused) or 202 (a new patient)."""

from __future__ import annotations


class Refused(Exception):
    """Mobile JKN shows ``message`` to the patient as it is (Indonesian, BPJS's wording)."""

    code = 201

    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


class NewPatient(Refused):
    """The card number is not known here: Mobile JKN then calls ``pasienbaru``."""

    code = 202

    def __init__(self) -> None:
        super().__init__(
            "Data pasien ini tidak ditemukan, silahkan melakukan registrasi pasien baru"
        )
