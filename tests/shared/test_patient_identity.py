"""Patient identity: validated, masked but on the serving clerk's screen, erased after retention."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from shared import queue
from shared.health import (
    InvalidIdentifier,
    check_card_number,
    check_medical_record,
    check_nik,
    identity_json,
    identity_of,
    mask_identifier,
    purge_patient_identities,
    record_patient_identity,
    sees_identity_in_full,
)
from shared.health.identity import NotOnPathway
from shared.models import Counter, PatientIdentity, StaffUser
from tests.hospital import build_hospital

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 09:00 WIB
CARD, NIK, MR = "0001234567890", "1505014708900001", "RM-00123"


@pytest.fixture
def rs(factory):
    return build_hospital(factory)


@pytest.mark.parametrize("value", ["0001234567890", "9999999999999"])
def test_a_card_number_is_13_digits(value):
    assert check_card_number(value) == value


@pytest.mark.parametrize(
    "value",
    [
        "",
        "000123456789",
        "00012345678901",
        "000123456789a",
        "0001 23456789",
        "０００１２３４５６７８９０",
        "²001234567890",
    ],
)
def test_other_card_numbers_are_refused(value):
    with pytest.raises(InvalidIdentifier) as refused:
        check_card_number(value)
    assert refused.value.field == "card_number"
    assert value not in str(refused.value) or value == ""  # the value is never repeated


@pytest.mark.parametrize(
    "value",
    [
        "1505011708900001",  # a man born 17-08-90
        "1505015708900001",  # a woman born 17-08-90: day + 40
        "3171010101000001",  # 01-01-00
        "3171017112990001",  # a woman born 31-12-99
    ],
)
def test_a_nik_is_16_digits_with_a_date_of_birth(value):
    assert check_nik(value) == value


@pytest.mark.parametrize(
    "value",
    [
        "150501170890000",  # 15 digits
        "15050117089000011",  # 17 digits
        "15050117089O0001",  # a letter O
        "1505010008900001",  # day 00
        "1505013208900001",  # day 32
        "1505014008900001",  # day 40 (a woman's 00)
        "1505017208900001",  # day 72 (a woman's 32)
        "1505011700900001",  # month 00
        "1505011713900001",  # month 13
    ],
)
def test_implausible_niks_are_refused(value):
    with pytest.raises(InvalidIdentifier) as refused:
        check_nik(value)
    assert refused.value.field == "nik" and value not in str(refused.value)


@pytest.mark.parametrize("value", ["1", "RM-00123", "a" * 20, "2026-11-0042"])
def test_a_medical_record_number_is_letters_digits_and_hyphens(value):
    assert check_medical_record(value) == value


@pytest.mark.parametrize("value", ["", "a" * 21, "RM 001", "RM/001", "RM_001", "rm-ü"])
def test_other_medical_record_numbers_are_refused(value):
    with pytest.raises(InvalidIdentifier) as refused:
        check_medical_record(value)
    assert refused.value.field == "medical_record"


def test_masking_shows_only_the_last_four():
    assert mask_identifier("0001234567890") == "*********7890"
    assert mask_identifier(NIK) == "************0001"
    assert mask_identifier("RM-00123") == "****0123"
    assert mask_identifier("1234") == "****"  # a short one is hidden whole
    assert mask_identifier(None) is None


def test_recording_keeps_the_identity_until_the_sites_retention_ends(session, rs):
    rs.site.booking_retention_days = 14
    ticket = queue.issue_ticket(session, rs.reg_jkn.id, now=NOW)
    row = record_patient_identity(
        session, ticket.visit, card_number=CARD, nik=NIK, medical_record=MR, now=NOW
    )
    assert (row.card_number, row.nik, row.medical_record) == (CARD, NIK, MR)
    assert row.recorded_at == NOW
    assert row.erase_after == ticket.visit.business_date + timedelta(days=14)
    assert not session.new and not session.dirty  # flushed, not committed
    assert session.in_transaction()

    again = record_patient_identity(session, ticket.visit, medical_record="RM-9", now=NOW)
    assert again is row and (row.card_number, row.nik, row.medical_record) == (None, None, "RM-9")

    assert record_patient_identity(session, ticket.visit, now=NOW) is None
    assert identity_of(session, ticket.visit) is None


def test_bad_input_stores_nothing(session, rs):
    ticket = queue.issue_ticket(session, rs.reg_jkn.id, now=NOW)
    with pytest.raises(InvalidIdentifier) as refused:
        record_patient_identity(session, ticket.visit, card_number=CARD, nik="123", now=NOW)
    assert refused.value.field == "nik"
    assert identity_of(session, ticket.visit) is None


def test_a_visit_on_no_pathway_keeps_no_identity(session, factory):
    service = factory.service()
    factory.counter([service])
    ticket = queue.issue_ticket(session, service.id, now=NOW)
    with pytest.raises(NotOnPathway):
        record_patient_identity(session, ticket.visit, nik=NIK, now=NOW)


def test_the_purge_erases_identities_past_their_date(session, rs):
    old = queue.issue_ticket(session, rs.reg_jkn.id, now=NOW)
    new = queue.issue_ticket(session, rs.reg_jkn.id, now=NOW + timedelta(days=5))
    record_patient_identity(session, old.visit, nik=NIK, now=NOW)
    record_patient_identity(session, new.visit, card_number=CARD, now=NOW + timedelta(days=5))
    session.commit()
    last_day = old.visit.business_date + timedelta(days=rs.site.booking_retention_days)

    on_last_day = datetime.combine(last_day, datetime.min.time(), UTC) + timedelta(hours=10)
    assert purge_patient_identities(session, now=on_last_day) == 0
    assert purge_patient_identities(session, now=on_last_day + timedelta(days=1)) == 1
    session.commit()
    assert [r.visit_id for r in session.query(PatientIdentity)] == [new.visit_id]


def test_only_the_clerk_serving_the_ticket_sees_it_in_full(session, factory, rs):
    ticket = queue.issue_ticket(session, rs.reg_jkn.id, now=NOW)
    clerk = factory.user(agency=rs.reg_jkn.agency)
    other = factory.user(agency=rs.reg_jkn.agency)
    supervisor = factory.user(StaffUser.SUPERVISOR, agency=rs.reg_jkn.agency)
    assert not sees_identity_in_full(ticket, clerk)  # waiting: nobody's screen yet
    counter = session.query(Counter).filter(Counter.services.contains(rs.reg_jkn)).first()
    queue.call_next(session, counter, clerk, now=NOW)
    assert ticket.clerk_id == clerk.id
    assert sees_identity_in_full(ticket, clerk)
    assert not sees_identity_in_full(ticket, other)
    assert not sees_identity_in_full(ticket, supervisor)

    row = record_patient_identity(session, ticket.visit, card_number=CARD, nik=NIK, now=NOW)
    assert identity_json(row, full=True)["nik"] == NIK
    masked = identity_json(row, full=False)
    assert masked["nik"] == "************0001" and masked["card_number"] == "*********7890"
    assert masked["masked"] is True

    queue.start_ticket(session, ticket, clerk, now=NOW)
    queue.finish_ticket(session, ticket, clerk, now=NOW)
    assert not sees_identity_in_full(ticket, clerk)  # served: off the clerk's screen


def test_a_database_error_while_storing_does_not_carry_the_values(session, rs):
    from sqlalchemy.exc import IntegrityError

    from shared.models import Visit

    ghost = Visit(id=987654, business_date=NOW.date(), pathway_id=rs.pathway.id)  # no such row
    with pytest.raises(IntegrityError) as failed:
        record_patient_identity(session, ghost, card_number=CARD, nik=NIK, now=NOW)
    assert NIK not in str(failed.value) and CARD not in str(failed.value)
    session.rollback()
