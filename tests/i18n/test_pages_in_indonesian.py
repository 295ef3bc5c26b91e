"""Every page and every JSON message of the composed app, served in Indonesian, is Indonesian.

The pages: every GET line of the authorization matrix (which every route must have) that
answers a page or JSON, opened by a persona allowed to, with the language cookie set to ``id``,
over a mall with a ticket waiting, one at a counter and one finished (so the survey shows its
questions). What counts as English: tests/i18n/catalogue.py.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from shared import queue
from shared.models import StaffUser
from shared.web.i18n import COOKIE
from tests.counter.conftest import first_counter, issue
from tests.i18n.catalogue import catalogue, english_in, marked, visible_text
from tests.security.conftest import ADMIN, KIOSK, MANAGER, PUBLIC, TABLET, fill
from tests.security.test_authz_matrix_http import CASES

# Files, images, sounds and spreadsheets: no sentences to read.
NOT_TEXT = ("/static/", ".png", ".svg", ".wav", ".xlsx", "/media/", "/logo/")
# A code (not_found, pns), a time, a path or address: not words for people.
CODE_LIKE = re.compile(r"^([a-z0-9_.:+-]*|\d{4}-\d\d-\d\d[T ][\d:.+Z-]*|(https?:/)?/\S*)$")
PERSONA = {PUBLIC: "anonymous", KIOSK: "kiosk", ADMIN: "admin", MANAGER: "admin"}
PAGES = [
    case
    for case in CASES
    if case.method == "GET" and case.ok == 200 and not any(n in case.target for n in NOT_TEXT)
]


@pytest.fixture
def config(config):
    config.rate_limits = False
    return config


@pytest.fixture
def mall_at_work(db):
    """Agency A's first counter open, one ticket finished there, one at it, one waiting."""
    counter = first_counter(db, "Dukcapil")
    clerk = db.execute(select(StaffUser).where(StaffUser.username == "dukcapil1")).scalar_one()
    tickets = [issue(db, "Dukcapil") for _ in range(3)]
    queue.set_counter_status(db, counter, "open", clerk)
    for finish in (True, False):
        ticket = queue.call_next(db, counter, clerk)
        queue.start_ticket(db, ticket, clerk)
        if finish:
            queue.finish_ticket(db, ticket, clerk)
    db.commit()
    return {"done": tickets[0].code, "serving": tickets[1].code, "waiting": tickets[2].code}


def _paths(case, targets, codes) -> list[str]:
    ids = targets.ids("A")
    if "{code}" in case.target:  # the citizen's pages, in each state of a ticket
        return [case.target.replace("{code}", code) for code in codes.values()]
    return [fill(case.target, ids)]


def _as_the_tablet(client, db, path: str) -> None:
    """The counter's survey tablet: registered for that counter, its link opened once."""
    from shared.models import Counter
    from shared.survey import register_tablet

    token = register_tablet(db, db.get(Counter, int(path.rsplit("/", 1)[1])))
    db.commit()
    assert client.get(path, query_string={"token": token}).status_code == 302


def test_every_page_is_in_indonesian(personas, targets, mall_at_work, db):
    english = []
    for case in PAGES:
        client = personas(PERSONA.get(case.access, "admin"))
        client.set_cookie(COOKIE, "id")
        for path in _paths(case, targets, mall_at_work):
            if case.access == TABLET:
                _as_the_tablet(client, db, path)
            answer = client.get(path)
            assert answer.status_code == 200, path
            if answer.is_json:
                texts = list(_json_strings(answer.get_json()))
            elif answer.mimetype == "text/html":
                texts = visible_text(answer.get_data(as_text=True))
            else:
                continue
            english += [f"{path}: {found}" for found in english_in(texts) if found not in english]
    assert not english, "English on pages served in Indonesian:\n" + "\n".join(english)


def _json_strings(value):
    """The texts in a JSON answer: every string but codes, keys, times and addresses, and the
    printer's technical "detail" (python-escpos's English, for whoever fixes the printer)."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key != "detail":
                yield from _json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_strings(item)
    elif isinstance(value, str) and not CODE_LIKE.match(value):
        yield value


def test_every_marked_string_has_indonesian():
    missing = sorted({f"{e.where}: {e.msgid!r}" for e in marked() if not e.msgstr})
    assert not missing, "marked for translation, no Indonesian in the catalogues:\n" + "\n".join(
        missing
    )


def test_every_catalogue_entry_has_indonesian():
    missing = sorted(msgid for msgid, msgstr in catalogue().items() if not msgstr)
    assert not missing, "catalogue entries without Indonesian (empty or fuzzy):\n" + "\n".join(
        missing
    )


def test_the_detector_sees_english():
    """The net itself: an English msgid, an English word, and Indonesian that passes."""
    page = (
        '<main><h1 title="Tiket">Bagaimana layanan kami?</h1><span>Very fast</span>'
        '<input type="submit" value="Ticket %s"><script>var Waiting = 1;</script>'
        "<p>Not rateable</p><code>None</code></main>"
    )
    found = english_in(visible_text(page))
    assert len(found) == 2, found
    assert any("Very fast" in f for f in found) and any("Ticket" in f for f in found)
    assert english_in(["Survei Kepuasan Masyarakat", "Loket 1 · A001"]) == []
