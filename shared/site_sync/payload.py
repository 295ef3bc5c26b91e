"""What travels from an offline site: its visits, tickets, ticket log and survey answers.

Services travel by code and counters by number (the central copy of the site has the same ones);
staff do not travel (their rows are the offline machine's), nor do kiosks, notes or bookings:
no name, phone number or clerk's remark leaves the site. Survey answers are anonymous (the SKM
form asks no name). Validated on import even though signed: a faulty exporter gets a clear 400.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from shared.queue.states import STATUSES

VERSION = 1
Origin = Annotated[str, Field(min_length=3, max_length=80)]
Status = Annotated[str, AfterValidator(lambda v: _one_of(v, STATUSES))]
Score = Annotated[int, Field(ge=1, le=4)] | None


def _one_of(value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise ValueError(f"unknown status {value[:20]}")
    return value


def _utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("a time without its zone")
    return value


UTC = Annotated[datetime, AfterValidator(_utc)]


class Row(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class VisitRow(Row):
    origin: Origin
    business_date: date
    created_at: UTC


class TicketRow(Row):
    origin: Origin
    visit: Origin
    service: Annotated[str, Field(max_length=20)]
    business_date: date
    number: Annotated[int, Field(ge=1, le=1_000_000)]
    display_number: Annotated[str, Field(max_length=12)]
    code: Annotated[str, Field(min_length=8, max_length=24)]
    priority: Annotated[str, Field(max_length=20)]
    source: Literal["kiosk", "booking", "counter"]
    status: Status
    counter: int | None
    recall_count: Annotated[int, Field(ge=0, le=1000)]
    boost: Literal[0, 1]
    transferred_from: Origin | None
    queued_at: UTC
    issued_at: UTC
    called_at: UTC | None
    started_at: UTC | None
    finished_at: UTC | None


class LogRow(Row):
    origin: Origin
    ticket: Origin
    at: UTC
    action: Annotated[str, Field(max_length=20)]
    from_status: Status | None
    to_status: Status
    counter: int | None


class SurveyRow(Row):
    origin: Origin
    ticket: Origin
    counter: int | None
    submitted_at: UTC
    channel: Literal["ticket", "counter"]
    u1: Score
    u2: Score
    u3: Score
    u4: Score
    u5: Score
    u6: Score
    u7: Score
    u8: Score
    u9: Score
    age: Annotated[int, Field(ge=0, le=120)] | None
    sex: Literal["L", "P"] | None
    education: Annotated[str, Field(max_length=12)] | None
    occupation: Annotated[str, Field(max_length=12)] | None
    suggestion: Annotated[str, Field(max_length=2000)]


class Payload(Row):
    version: Literal[1]
    site: str
    exported_at: UTC
    first_day: date | None
    last_day: date | None
    visits: list[VisitRow]
    tickets: list[TicketRow]
    logs: list[LogRow]
    surveys: list[SurveyRow]
