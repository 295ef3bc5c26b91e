"""The retry rule (shared.queue.retries) without Flask: a repeat answers, never acts twice."""

from __future__ import annotations

import pytest

from shared import queue
from shared.models import TicketLog
from shared.queue import errors
from shared.queue.retries import already_done, perform_once
from tests.shared.concurrency import NOON_JAKARTA


@pytest.fixture
def db_url(tmp_path, _template_db) -> str:
    """An empty migrated database (not the seeded demo the other counter tests use)."""
    import shutil

    shutil.copy(_template_db, tmp_path / "empty.db")
    return f"sqlite:///{tmp_path / 'empty.db'}"


@pytest.fixture
def called(session, factory):
    service = factory.service(recall_limit=1)
    counter = factory.counter([service])
    queue.issue_ticket(session, service.id, now=NOON_JAKARTA)
    return queue.call_next(session, counter, now=NOON_JAKARTA)


def test_a_second_finish_answers_without_finishing_again(session, called):
    queue.start_ticket(session, called, now=NOON_JAKARTA)
    finish = lambda: queue.finish_ticket(session, called, note="ok", now=NOON_JAKARTA)  # noqa: E731
    first, ran = perform_once(session, called, "finish", finish)
    again, ran_again = perform_once(session, called, "finish", finish)
    assert (ran, ran_again) == (True, False)
    assert again.status == "done"
    logs = session.query(TicketLog).filter_by(ticket_id=called.id, action="finish").count()
    assert logs == 1


def test_done_for_another_reason_is_still_refused(session, called):
    queue.recall_ticket(session, called, now=NOON_JAKARTA)
    queue.mark_no_show(session, called, now=NOON_JAKARTA)
    assert not already_done(session, called, "finish")
    with pytest.raises(errors.InvalidTransition):
        perform_once(session, called, "finish", lambda: queue.finish_ticket(session, called))


def test_recall_retry_is_recognised_by_the_count_the_console_saw(session, called):
    recall = lambda: queue.recall_ticket(session, called, now=NOON_JAKARTA)  # noqa: E731
    _, ran = perform_once(session, called, "recall", recall, seen_recalls=0)
    _, ran_again = perform_once(session, called, "recall", recall, seen_recalls=0)
    assert (ran, ran_again, called.recall_count) == (True, False, 1)


def test_transfer_retry_answers_with_the_new_ticket(session, factory, called):
    other = factory.service()
    queue.start_ticket(session, called, now=NOON_JAKARTA)

    def transfer():
        return queue.transfer_ticket(session, called, other.id, note="ke BPJS", now=NOON_JAKARTA)

    new, ran = perform_once(session, called, "transfer", transfer)
    same, ran_again = perform_once(session, called, "transfer", transfer)
    assert ran and not ran_again
    assert same.id == new.id and new.visit_id == called.visit_id
