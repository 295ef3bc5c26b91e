"""Webhooks: events recorded with the change reach a real HTTP receiver, signed, only those
subscribed, without personal data unless ticked, at least once with one id."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from shared import booking, queue, survey, timeutil
from shared.config import Config
from shared.models import OutboxMessage, SlotTemplate
from shared.outbox.delivery import load_handlers
from shared.outbox.relay import Relay
from shared.queue.errors import DomainError
from shared.webhooks import manage, retention
from tests.fake_receiver import fake_receiver
from tests.webhook_checks import verify

SECRET = "s3cret-for-the-tests-only"


def _relay(session_factory, db_url) -> Relay:
    return Relay(session_factory, Config(database_url=db_url), handlers=load_handlers())


def _deliver_all(relay, now=None) -> None:
    while relay.run_once(now):
        pass


def _messages(session) -> list[OutboxMessage]:
    session.expire_all()
    rows = list(session.execute(select(OutboxMessage).order_by(OutboxMessage.id)).scalars())
    session.commit()  # ends the read: the relay needs SQLite's write lock
    return rows


def _open_desk(factory):
    service = factory.service()
    counter = factory.counter([service])
    return service, counter


def _hook(session, factory, url, events, **kw):
    webhook = manage.add_webhook(session, factory.mall().id, url, events, secret=SECRET, **kw)
    session.commit()
    return webhook


def test_a_call_arrives_signed_and_only_subscribed_events_arrive(
    session, session_factory, factory, db_url
):
    service, counter = _open_desk(factory)
    with fake_receiver() as receiver:
        _hook(session, factory, receiver.url + "/hook", ["ticket.called"])
        ticket = queue.issue_ticket(session, service.id)
        session.commit()
        queue.call_next(session, counter)
        session.commit()
        number = ticket.display_number
        _deliver_all(_relay(session_factory, db_url))
        [got] = receiver.wait_for(1)
        assert got.path == "/hook"
        assert verify(SECRET, got.headers, got.body)
        assert not verify("another-secret-entirely", got.headers, got.body)
        event = got.json()
        [message] = _messages(session)
        assert event["id"] == got.headers["X-Antre-Delivery"] == message.uid
        assert event["event"] == got.headers["X-Antre-Event"] == "ticket.called"
        assert event["site"] == factory.mall().slug
        data = event["data"]
        assert data["ticket"]["number"] == number and data["ticket"]["status"] == "called"
        assert data["counter"] == {"number": counter.number, "name": counter.name}
        assert data["service"] == {"code": service.code, "name": service.name}
        assert "code" not in data["ticket"]  # the ticket page's key stays with the citizen
        assert message.delivered_at is not None


def test_a_rolled_back_change_sends_nothing(session, session_factory, factory, db_url):
    service, _counter = _open_desk(factory)
    with fake_receiver() as receiver:
        _hook(session, factory, receiver.url, ["ticket.issued"])
        queue.issue_ticket(session, service.id)
        session.rollback()
        assert _messages(session) == []
        assert _relay(session_factory, db_url).run_once() == 0
        assert receiver.requests == []


def _bookable(factory):
    service = factory.service()
    factory.counter([service])
    for weekday in range(7):
        factory.session.add(
            SlotTemplate(service=service, weekday=weekday, start="09:00", end="09:30")
        )
    factory.session.flush()
    return service


MONDAY = date(2026, 11, 23)
MORNING = datetime(2026, 11, 23, 0, 0, tzinfo=UTC)


def test_no_personal_data_unless_ticked(session, session_factory, factory, db_url):
    service = _bookable(factory)
    with fake_receiver() as plain, fake_receiver() as trusted:
        _hook(session, factory, plain.url, ["booking.made", "booking.cancelled"])
        _hook(session, factory, trusted.url, ["booking.made"], include_personal_data=True)
        made = booking.book_slot(
            session,
            service.id,
            MONDAY,
            "09:00",
            name="Siti Aminah",
            phone="081234567890",
            now=MORNING,
        )
        session.commit()
        booking.cancel_booking(session, made.code, now=MORNING)
        session.commit()
        _deliver_all(_relay(session_factory, db_url))
        made_event, cancelled = (r.json() for r in plain.wait_for(2))
        assert [made_event["event"], cancelled["event"]] == ["booking.made", "booking.cancelled"]
        for request in plain.requests:
            # The whole number: a random event id may hold any four digits (it held "0812" once).
            assert b"Siti" not in request.body and b"081234567890" not in request.body
            assert made.code.encode() not in request.body  # the code cancels: not for others
        assert made_event["data"]["booking"]["day"] == "2026-11-23"
        assert made_event["occurred_at"] == cancelled["occurred_at"] == MORNING.isoformat()
        [ticked] = trusted.wait_for(1)
        assert ticked.json()["data"]["personal"] == {"name": "Siti Aminah", "phone": "081234567890"}


def test_a_500_then_a_200_gives_two_deliveries_with_one_id(
    session, session_factory, factory, db_url
):
    service, _counter = _open_desk(factory)
    with fake_receiver(statuses=[500]) as receiver:
        _hook(session, factory, receiver.url, ["ticket.issued"])
        queue.issue_ticket(session, service.id)
        session.commit()
        relay = _relay(session_factory, db_url)
        relay.run_once()
        [message] = _messages(session)
        assert message.delivered_at is None and message.last_status == 500
        relay.run_once(timeutil.now_utc() + timedelta(minutes=5))
        first, second = receiver.wait_for(2)
        assert first.json()["id"] == second.json()["id"] == message.uid
        assert first.body == second.body  # the same event, recognisably
        assert verify(SECRET, second.headers, second.body)
        assert _messages(session)[0].delivered_at is not None


def test_a_disabled_or_removed_webhook_fails_its_messages_for_good(
    session, session_factory, factory, db_url
):
    service, _counter = _open_desk(factory)
    with fake_receiver() as receiver:
        disabled = _hook(session, factory, receiver.url, ["ticket.issued"])
        removed = _hook(session, factory, receiver.url, ["ticket.issued"])
        queue.issue_ticket(session, service.id)
        session.commit()
        disabled.active = False
        manage.remove_webhook(session, removed)
        session.commit()
        _deliver_all(_relay(session_factory, db_url))
        assert receiver.requests == []
        reasons = sorted(m.last_error for m in _messages(session) if m.failed_at is not None)
        assert reasons == ["webhook disabled: not delivered", "webhook removed: not delivered"]


def test_a_survey_answer_carries_the_scores_only(session, session_factory, factory, db_url):
    service, counter = _open_desk(factory)
    with fake_receiver() as receiver:
        _hook(session, factory, receiver.url, ["survey.answered"])
        ticket = queue.issue_ticket(session, service.id)
        queue.call_next(session, counter)
        queue.start_ticket(session, ticket)
        queue.finish_ticket(session, ticket)
        answers = {"u1": 4, "u2": 3, "age": 41, "sex": "P", "suggestion": "Nama saya Budi"}
        survey.submit_survey(session, ticket, answers)
        session.commit()
        _deliver_all(_relay(session_factory, db_url))
        [got] = receiver.wait_for(1)
        answered = got.json()["data"]["survey"]
        assert answered["scores"]["u1"] == 4 and answered["scores"]["u3"] is None
        # Only scores leave: no age, sex or free text (a timestamp may well contain "41").
        assert set(answered) == {"channel", "submitted_at", "scores"}
        assert b"Budi" not in got.body and b'"age"' not in got.body


@pytest.mark.parametrize(
    ("url", "events", "secret"),
    [
        ("ftp://example.org/hook", ["ticket.issued"], SECRET),
        ("https://example.org/hook", ["ticket.eaten"], SECRET),
        ("https://example.org/hook", [], SECRET),
        ("https://example.org/hook", ["ticket.issued"], "short"),
    ],
)
def test_invalid_webhooks_are_refused(session, factory, url, events, secret):
    with pytest.raises(DomainError):
        manage.add_webhook(session, factory.mall().id, url, events, secret=secret)


def test_a_secret_is_generated_when_none_is_given(session, factory):
    webhook = manage.add_webhook(session, factory.mall().id, "http://h.test/", ["ticket.issued"])
    assert len(webhook.secret) >= 32
    assert webhook.secret_hint == "…" + webhook.secret[-4:]


def test_on_postgresql_a_call_arrives_once_signed(pg_url):
    from shared.db import make_engine, make_session_factory
    from tests.factories import Factory

    engine = make_engine(pg_url)
    factory_of_sessions = make_session_factory(engine)
    try:
        with factory_of_sessions() as session, fake_receiver() as receiver:
            factory = Factory(session)
            service, counter = _open_desk(factory)
            _hook(session, factory, receiver.url, ["ticket.issued", "ticket.called"])
            queue.issue_ticket(session, service.id)
            session.commit()
            queue.call_next(session, counter)
            session.commit()
            _deliver_all(_relay(factory_of_sessions, pg_url))
            issued, called = receiver.wait_for(2)
            assert [issued.json()["event"], called.json()["event"]] == [
                "ticket.issued",
                "ticket.called",
            ]
            assert all(verify(SECRET, r.headers, r.body) for r in (issued, called))
            later = timeutil.now_utc() + timedelta(days=3650)
            assert retention.erase_personal(session, factory.mall(), later) == 0  # SQL is valid
    finally:
        engine.dispose()


def test_a_checked_in_booking_is_called_with_its_contact_only_where_ticked(
    session, session_factory, factory, db_url
):
    service = _bookable(factory)
    counter = service.counters[0]
    nine_wib = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
    with fake_receiver() as plain, fake_receiver() as trusted:
        _hook(session, factory, plain.url, ["ticket.called"])
        _hook(session, factory, trusted.url, ["ticket.called"], include_personal_data=True)
        made = booking.book_slot(
            session, service.id, MONDAY, "09:00", name="Budi", phone="081298765432", now=MORNING
        )
        booking.check_in_booking(session, made.code, now=nine_wib - timedelta(minutes=10))
        queue.call_next(session, counter, now=nine_wib)
        session.commit()
        _deliver_all(_relay(session_factory, db_url))
        [called] = plain.wait_for(1)
        assert called.json()["data"]["booking_id"] == made.id
        assert b"Budi" not in called.body and b"0812" not in called.body
        [ticked] = trusted.wait_for(1)
        assert ticked.json()["data"]["personal"] == {"name": "Budi", "phone": "081298765432"}


def test_a_transfer_and_a_no_show_arrive_in_order_per_ticket(
    session, session_factory, factory, db_url
):
    service, counter = _open_desk(factory)
    other = factory.service(service.agency)
    other_counter = factory.counter([other])
    wanted = ["ticket.issued", "ticket.called", "ticket.transferred", "ticket.no_show"]
    with fake_receiver() as receiver:
        _hook(session, factory, receiver.url, wanted)
        first = queue.issue_ticket(session, service.id)
        queue.call_next(session, counter)
        queue.start_ticket(session, first)
        moved = queue.transfer_ticket(session, first, other.id)
        queue.call_next(session, other_counter)
        for _ in range(moved.service.recall_limit):
            queue.recall_ticket(session, moved)
        queue.mark_no_show(session, moved)
        session.commit()
        _deliver_all(_relay(session_factory, db_url))
        events = [r.json() for r in receiver.requests]
        of_first = [e["event"] for e in events if e["data"]["ticket"]["id"] == first.id]
        assert of_first == ["ticket.issued", "ticket.called", "ticket.transferred"]
        of_moved = [e for e in events if e["data"]["ticket"]["id"] == moved.id]
        assert [e["event"] for e in of_moved][0] == "ticket.issued"
        assert [e["event"] for e in of_moved][-1] == "ticket.no_show"
        transferred = next(e for e in events if e["event"] == "ticket.transferred")
        assert transferred["data"]["transferred_to"] == moved.display_number
        assert of_moved[0]["data"]["transferred_from"] == first.display_number


def test_the_daily_purge_erases_personal_data_from_webhook_messages(
    session, session_factory, factory, db_url
):
    service = _bookable(factory)
    mall = factory.mall()
    _hook(session, factory, "http://127.0.0.1:9/", ["booking.made"], include_personal_data=True)
    booking.book_slot(
        session, service.id, MONDAY, "09:00", name="Siti", phone="081234567890", now=MORNING
    )
    session.commit()
    [message] = _messages(session)
    assert message.payload["data"]["personal"]["name"] == "Siti"
    booking.purge_booking_data(session, now=timeutil.now_utc())  # not yet past retention
    session.commit()
    assert "personal" in _messages(session)[0].payload["data"]
    later = timeutil.now_utc() + timedelta(days=mall.booking_retention_days + 1)
    booking.purge_booking_data(session, now=later)
    session.commit()
    [message] = _messages(session)
    assert "personal" not in message.payload["data"] and message.payload["event"] == "booking.made"
