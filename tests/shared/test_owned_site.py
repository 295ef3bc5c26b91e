"""A service's or counter's site is its agency's: copied when the agency is set or changed, and
not looked up again on every other update (a counter's row is written by each call)."""

from __future__ import annotations

from sqlalchemy import event


def test_the_site_follows_the_agency_and_other_updates_read_nothing(session, factory):
    first, second = factory.agency(), factory.agency(site=factory.site())
    service = factory.service(first)
    counter = factory.counter([service])
    assert (service.site_id, counter.site_id) == (first.site_id, first.site_id)

    statements: list[str] = []
    engine = session.get_bind()

    def listener(_conn, _cursor, statement, *_rest) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", listener)
    try:
        counter.last_call_request = "panggil-0001"
        service.name = "Layanan baru"
        session.flush()
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    # The two rows, and the new configuration stamp of the service's site (config_cache.py).
    assert len(statements) == 3 and all(s.startswith("UPDATE") for s in statements), statements
    assert sum("config_stamp" in s for s in statements) == 1

    counter.agency = second
    service.agency = second
    session.flush()
    assert (service.site_id, counter.site_id) == (second.site_id, second.site_id)

    counter.site_id = first.site_id  # whatever the caller set
    session.flush()
    assert counter.site_id == second.site_id
