"""Indonesian words that misled people on the first try (issue 13, item 22) stay away.

"Langsung" for "live" reads as "immediately"; "antrian" is not the spelling every screen uses
("antrean", KBBI). The catch-all tests find English, not a poor Indonesian choice: this does.
"""

from __future__ import annotations

import re

from tests.i18n.catalogue import catalogue

LIVE = re.compile(r"\blive\b", re.IGNORECASE)


def test_live_is_never_translated_as_immediately():
    wrong = {
        msgid: text
        for msgid, text in catalogue().items()
        if LIVE.search(msgid) and "langsung" in text.lower()
    }
    assert wrong == {}
    assert catalogue()["Live"] == "Terhubung"  # the ticket page's link badge
    assert catalogue()["Live dashboard"] == "Dasbor terkini"


def test_queue_is_spelled_antrean():
    wrong = {msgid: text for msgid, text in catalogue().items() if "antrian" in text.lower()}
    assert wrong == {}
