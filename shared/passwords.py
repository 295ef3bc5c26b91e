"""The one rule for a new staff password, used wherever a password is set (the admin page, the
``antre`` command, the first admin): long enough, not a well-known password, not the demo's, not
the username.

A password is also refused when it is a common one with digits or punctuation stuck on its end
("bismillah123", "Password!"): that is the first thing a guesser tries.
"""

from __future__ import annotations

import re

from flask_babel import gettext

MIN_LENGTH = 8
DEMO_PASSWORD = "antre123"  # noqa: S105 - the demo's password, refused outside demo mode

# The most used passwords (from the public breach lists), and Indonesian favourites.
_LIST = """
    123456 1234567 12345678 123456789 1234567890 0123456789 987654321 9876543210 000000 0000000
    00000000 111111 1111111 11111111 112233 121212 123123 123123123 123321 654321 666666 696969
    777777 7777777 888888 88888888 999999 99999999 147258369 123654789 741852963 159753
    password passw0rd p@ssw0rd p@ssword pass password1 qwerty qwertyuiop qwerty123 qwertyui
    asdfgh asdfghjkl asdf1234 zxcvbn zxcvbnm 1q2w3e4r 1q2w3e 1qaz2wsx qazwsx abc123 abcd1234
    abcdefg abcdefgh a1b2c3d4 aa123456 iloveyou letmein welcome welcome1 admin administrator
    admin123 root toor master monkey dragon football baseball sunshine princess shadow superman
    batman trustno1 starwars whatever freedom hello hello123 secret changeme default guest
    login test test123 testing user computer internet samsung google facebook charlie michael
    jordan liverpool chelsea arsenal barcelona pokemon naruto indonesia indonesia1945 merdeka
    merdeka45 bismillah alhamdulillah subhanallah insyaallah inshaallah allahuakbar
    assalamualaikum rahasia rahasiaku rahasiakita katasandi kata_sandi sandi kunci sayang
    sayangku sayangkamu cinta cintaku akucintakamu aku kamu jakarta bandung surabaya garuda
    pancasila bhinneka persija persib arema bonek kopi mpp pelayanan antrian antrean loket
    petugas kantor pemda pemkab pemkot antre antreadmin antre123
"""
COMMON = frozenset(_LIST.split())

# A common password with digits, a year or punctuation added at the end is still common.
_TAIL = re.compile(r"[\d\W_]+$")


class WeakPassword(ValueError):
    """A new password the rule refuses; ``message`` says why, in the user's language."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason

    @property
    def message(self) -> str:
        texts = {
            "short": gettext("At least %(n)s characters.", n=MIN_LENGTH),
            "demo": gettext("This is the demo password: choose another."),
            "common": gettext("This password is too common: choose a less guessable one."),
            "username": gettext("The password must not be the username."),
        }
        return texts[self.reason]

    def __str__(self) -> str:
        return self.message


def password_weakness(password: str, username: str = "") -> str | None:
    """Why ``password`` may not be set (``short``, ``demo``, ``common``, ``username``), or None."""
    if len(password) < MIN_LENGTH:
        return "short"
    lowered = password.lower()
    if lowered == DEMO_PASSWORD:
        return "demo"
    stem = _TAIL.sub("", lowered)
    if lowered in COMMON or stem in COMMON or len(set(lowered)) < 4:
        return "common"
    user = username.strip().lower()
    if user and (user in (lowered, stem) or _TAIL.sub("", user) == stem):
        return "username"
    return None


def check_new_password(password: str, username: str = "") -> None:
    """Raise :class:`WeakPassword` unless ``password`` may be set."""
    reason = password_weakness(password, username)
    if reason is not None:
        raise WeakPassword(reason)
