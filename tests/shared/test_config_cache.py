"""What a process keeps of a site's configuration is used only while the site's stamp matches:
a change made anywhere (another process, the command line, an admin page) is seen by the next
transaction, and no request can change what the next one gets."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, select, update

from shared import config_cache, events, queue
from shared.bpjs.bridges import is_bridged
from shared.db import make_engine, make_session_factory
from shared.models import (
    BpjsBridge,
    Counter,
    Doctor,
    Pathway,
    PathwayStep,
    Service,
    Site,
    Webhook,
)
from shared.queue import publishing
from shared.queue.pathways import place_of_service
from shared.queue.sites import get_site, has_doctors
from shared.webhooks.record import subscribed
from tests.shared.concurrency import NOON_JAKARTA
from tests.statements import counted


@pytest.fixture
def elsewhere(db_url):
    """Sessions of a second engine: another process, or ``antre`` on the command line."""
    engine = make_engine(db_url)
    yield make_session_factory(engine, events.RecordingPublisher())
    engine.dispose()


@pytest.fixture
def site_id(session, factory) -> int:
    site = factory.mall()
    session.commit()
    config_cache.clear()
    return site.id


def _name(session_factory, site_id: int) -> str:
    with session_factory() as fresh:
        return get_site(fresh, site_id).name


def test_a_kept_site_is_read_by_its_stamp_alone(session_factory, site_id):
    engine = session_factory.kw["bind"]
    with session_factory() as first, counted(engine) as statements:
        get_site(first, site_id)
    assert sum("FROM site" in s for s in statements) == 2  # the stamp, then the row
    with session_factory() as second, counted(engine) as statements:
        site = get_site(second, site_id)
        assert site.timezone == "Asia/Jakarta" and site in second
    assert [s for s in statements if "FROM site" in s] == [
        "SELECT site.config_stamp \nFROM site \nWHERE site.id = ?"
    ]


def test_a_change_committed_elsewhere_is_seen_by_the_next_transaction(
    session_factory, elsewhere, site_id
):
    assert _name(session_factory, site_id) != "MPP Baru"
    with elsewhere() as other:
        other.get(Site, site_id).name = "MPP Baru"
        other.commit()
    assert _name(session_factory, site_id) == "MPP Baru"


def test_a_change_of_a_service_or_webhook_changes_the_stamp_of_its_site(
    session, session_factory, factory, elsewhere, site_id
):
    service = factory.service(factory.agency(site=session.get(Site, site_id)))
    session.commit()
    stamps = []
    for change in (
        lambda other: setattr(other.get(Service, service.id), "active", False),
        lambda other: other.add(Webhook(site_id=site_id, url="http://x.test/", secret="s")),
        lambda other: other.execute(update(Service).values(recall_limit=9)),  # no flush sees it
    ):
        with elsewhere() as other:
            change(other)
            other.commit()
            stamps.append(other.scalar(select(Site.config_stamp).where(Site.id == site_id)))
    assert len(set(stamps)) == 3


def test_webhooks_are_read_only_for_events_one_of_them_wants(
    session, session_factory, elsewhere, site_id
):
    engine = session_factory.kw["bind"]
    for _ in range(2):  # the second time from what the process keeps
        with session_factory() as fresh, counted(engine) as statements:
            assert subscribed(fresh, site_id, "ticket.issued") == []
    assert not any("FROM webhook" in s for s in statements)
    with elsewhere() as other:
        other.add(
            Webhook(site_id=site_id, url="http://x.test/", secret="s", events=["ticket.issued"])
        )
        other.commit()
    with session_factory() as fresh:
        assert [w.url for w in subscribed(fresh, site_id, "ticket.issued")] == ["http://x.test/"]
        assert subscribed(fresh, site_id, "ticket.called") == []


def _asked_twice(session_factory, question, table: str):
    """``question``'s answer in two fresh transactions, the second from what the process keeps
    (it reads nothing from ``table``); both must agree."""
    engine = session_factory.kw["bind"]
    answers = []
    for _ in range(2):
        with session_factory() as fresh, counted(engine) as statements:
            answers.append(question(fresh))
    assert not any(f"FROM {table}" in s for s in statements)
    assert answers[0] == answers[1]
    return answers[1]


def test_a_bridge_switched_on_or_off_elsewhere_is_seen_by_the_next_transaction(
    session_factory, elsewhere, site_id
):
    assert _asked_twice(session_factory, lambda s: is_bridged(s, site_id), "bpjs_bridge") is False
    with elsewhere() as other:
        bridge = BpjsBridge(site_id=site_id, cons_id="1", secret="s", user_key="k", base_url="x")
        other.add(bridge)
        other.commit()
        with session_factory() as fresh:
            assert is_bridged(fresh, site_id)
        bridge.active = False
        other.commit()
    with session_factory() as fresh:
        assert not is_bridged(fresh, site_id)


def test_a_doctor_added_or_removed_elsewhere_is_seen_by_the_next_transaction(
    session, factory, session_factory, elsewhere, site_id
):
    poli = factory.service(factory.agency(site=session.get(Site, site_id)))
    session.commit()
    assert _asked_twice(session_factory, lambda s: has_doctors(s, site_id), "doctor") is False
    with elsewhere() as other:
        doctor = Doctor(site_id=site_id, service_id=poli.id, name="dr. Sari", active=False)
        other.add(doctor)
        other.commit()
        with session_factory() as fresh:
            assert has_doctors(fresh, site_id)  # an inactive doctor may hold today's session
        other.delete(doctor)
        other.commit()
    with session_factory() as fresh:
        assert not has_doctors(fresh, site_id)


def test_a_service_put_in_a_pathway_starts_it(session, factory, session_factory, site_id):
    site = session.get(Site, site_id)
    registration, poli = (factory.service(factory.agency(site=site)) for _ in range(2))
    session.commit()
    with session_factory() as fresh:
        assert place_of_service(fresh, fresh.get(Service, poli.id)) is None
    pathway = Pathway(site_id=site_id, name="Rawat jalan")
    pathway.steps = [
        PathwayStep(position=1, name="Pendaftaran", services=[registration]),
        PathwayStep(position=2, name="Poli", services=[]),
    ]
    session.add(pathway)
    session.commit()
    with session_factory() as fresh:
        assert place_of_service(fresh, fresh.get(Service, poli.id)) is None
    session.get(PathwayStep, pathway.steps[1].id).services.append(session.get(Service, poli.id))
    session.commit()
    for _ in range(2):  # read, then kept: the same rows
        with session_factory() as fresh:
            found = place_of_service(fresh, fresh.get(Service, poli.id))
            assert (found[0].name, found[1].position) == ("Rawat jalan", 2)


def test_what_one_session_does_to_its_site_stays_its_own(session_factory, site_id):
    _name(session_factory, site_id)  # kept
    with session_factory() as first:
        site = get_site(first, site_id)  # a copy of what is kept
        site.name = "Diubah"
        site.opening_hours["0"] = ["01:00", "02:00"]  # in place: never written, never shared
        site.opening_hours["1"].append("23:00")  # inside a kept list too
        assert get_site(first, site_id) is site and site.name == "Diubah"
        first.rollback()
    with session_factory() as second:
        other = get_site(second, site_id)
        assert other.name != "Diubah" and other.opening_hours.get("0") != ["01:00", "02:00"]
        assert "23:00" not in other.opening_hours["1"]


def test_an_attached_copy_is_the_sessions_own_persistent_instance(
    session, factory, session_factory, site_id
):
    """Made as ``merge(load=False)`` makes it: persistent and clean, its kept relationships the
    session's instances (a collection still a collection), the others loaded when asked for,
    and a change to it written by the flush."""
    service = factory.service(factory.agency(site=session.get(Site, site_id)))
    pathway = Pathway(site_id=site_id, name="Rawat jalan")
    pathway.steps = [PathwayStep(position=1, name="Pendaftaran", services=[service])]
    session.add(pathway)
    counter = factory.counter([service])
    session.commit()
    kept_service = config_cache.detach(session.get(Service, service.id), "agency")
    kept_pathway = config_cache.detach(session.get(Pathway, pathway.id), "steps")
    with session_factory() as fresh:
        ours = config_cache.attach(fresh, kept_service)
        state = inspect(ours)
        assert ours is not kept_service and state.persistent and not state.modified
        assert fresh.get(Service, service.id) is ours and not fresh.dirty
        assert ours.agency is not kept_service.agency
        assert ours.agency is fresh.get(type(ours.agency), service.agency_id)
        assert [c.id for c in ours.counters] == [counter.id]  # not kept: read when asked for
        ours_pathway = config_cache.attach(fresh, kept_pathway)
        (step,) = ours_pathway.steps
        assert step.position == 1 and step is fresh.get(PathwayStep, step.id)
        ours_pathway.steps.append(PathwayStep(position=2, name="Poli"))  # followed by the flush
        ours.name = "Diganti"
        fresh.commit()
    with session_factory() as after:
        assert after.get(Service, service.id).name == "Diganti"
        assert [s.position for s in after.get(Pathway, pathway.id).steps] == [1, 2]


def test_a_session_that_changed_the_configuration_reads_it_afresh(session_factory, site_id):
    _name(session_factory, site_id)  # kept
    with session_factory() as writer:
        writer.get(Site, site_id).name = "Sementara"
        writer.flush()  # a new stamp, not committed: nothing kept is used or filled here
        writer.expunge_all()
        assert get_site(writer, site_id).name == "Sementara"
        writer.rollback()
    assert _name(session_factory, site_id) != "Sementara"


def test_after_a_commit_the_site_is_refreshed_from_what_is_kept(session_factory, site_id):
    engine = session_factory.kw["bind"]
    _name(session_factory, site_id)  # kept
    with session_factory() as fresh:
        site = get_site(fresh, site_id)
        fresh.commit()  # expires the session's objects
        with counted(engine) as statements:
            again = get_site(fresh, site_id)
            assert again is site and site.timezone == "Asia/Jakarta"
    assert [s for s in statements if "FROM site" in s] == [
        "SELECT site.config_stamp \nFROM site \nWHERE site.id = ?"
    ]


def test_a_stamp_noted_with_another_row_is_the_sessions_one_read(session_factory, site_id):
    """The kiosk's or the signed-in user's row brings its site's stamp (kiosk/identity.py,
    shared/web/auth.py): what is kept is then used without a statement of its own."""
    engine = session_factory.kw["bind"]
    _name(session_factory, site_id)  # kept
    with session_factory() as fresh:
        stamp = fresh.scalar(select(Site.config_stamp).where(Site.id == site_id))
        config_cache.note_stamp(fresh, site_id, stamp)
        config_cache.note_stamp(fresh, site_id, "another")  # the first read stands
        with counted(engine) as statements:
            assert get_site(fresh, site_id).timezone == "Asia/Jakarta"
        assert statements == []


def test_a_session_that_changed_the_configuration_notes_no_stamp(session_factory, site_id):
    _name(session_factory, site_id)  # kept
    with session_factory() as writer:
        stamp = writer.scalar(select(Site.config_stamp).where(Site.id == site_id))
        writer.get(Site, site_id).name = "Sementara"
        writer.flush()
        writer.expunge_all()
        config_cache.note_stamp(writer, site_id, stamp)  # as read before its own change
        assert get_site(writer, site_id).name == "Sementara"
        writer.rollback()


def test_a_day_at_the_counters_leaves_the_stamp_alone(session, factory, site_id):
    """Tickets, calls, recalls, no-shows, transfers, breaks: none of them is a change of the
    configuration, or the cache would be read again after every one."""
    site = session.get(Site, site_id)
    agency = factory.agency(site=site)
    first, second = factory.service(agency), factory.service(agency)
    desk = factory.counter([first, second])
    session.commit()
    before = session.scalar(select(Site.config_stamp).where(Site.id == site_id))
    for _ in range(4):
        queue.issue_ticket(session, first.id, now=NOON_JAKARTA)
    session.commit()
    served = queue.call_next(session, desk, now=NOON_JAKARTA)
    queue.recall_ticket(session, served, now=NOON_JAKARTA)
    queue.start_ticket(session, served, now=NOON_JAKARTA)
    queue.finish_ticket(session, served, now=NOON_JAKARTA)
    session.commit()
    moved = queue.call_next(session, desk, now=NOON_JAKARTA)
    queue.start_ticket(session, moved, now=NOON_JAKARTA)
    queue.transfer_ticket(session, moved, second.id, now=NOON_JAKARTA)
    missed = queue.call_next(session, desk, now=NOON_JAKARTA)
    while missed.recall_count < missed.service.recall_limit:
        queue.recall_ticket(session, missed, now=NOON_JAKARTA)
    queue.mark_no_show(session, missed, now=NOON_JAKARTA)
    queue.set_counter_status(session, desk, "paused", reason="Istirahat", now=NOON_JAKARTA)
    session.commit()
    assert session.scalar(select(Site.config_stamp).where(Site.id == site_id)) == before


def _counters_seen(session_factory, service_id: int) -> dict:
    """{counter id: (its status, the ids of its services)} of a service, as a new request sees
    them through what the process keeps (shared/queue/loading.py)."""
    with session_factory() as fresh:
        service = fresh.get(Service, service_id)
        publishing.sharing_a_counter(fresh, [service], to_place=True)
        return {c.id: (c.status, [s.id for s in c.services]) for c in service.counters}


def test_which_services_a_counter_serves_is_seen_by_the_next_transaction(
    session, session_factory, factory, elsewhere, site_id
):
    agency = factory.agency(site=session.get(Site, site_id))
    first, second = factory.service(agency), factory.service(agency)
    desk = factory.counter([first])
    session.commit()
    assert _counters_seen(session_factory, first.id) == {desk.id: ("open", [first.id])}
    with elsewhere() as other:  # given another service
        moved = other.get(Counter, desk.id)  # held: the identity map keeps it only weakly
        moved.services.append(other.get(Service, second.id))
        other.commit()
    assert _counters_seen(session_factory, first.id) == {desk.id: ("open", [first.id, second.id])}
    with elsewhere() as other:  # a new counter
        added = Counter(agency_id=agency.id, number=99, name="Loket 99", status="closed")
        added.services = [other.get(Service, first.id)]
        other.add(added)
        other.commit()
        added_id = added.id
    assert _counters_seen(session_factory, first.id) == {
        desk.id: ("open", [first.id, second.id]),
        added_id: ("closed", [first.id]),
    }
    with elsewhere() as other:  # a counter removed, another opened: its status is read each time
        other.delete(other.get(Counter, desk.id))
        opened = other.get(Counter, added_id)
        opened.status = "open"
        other.commit()
    assert _counters_seen(session_factory, first.id) == {added_id: ("open", [first.id])}
