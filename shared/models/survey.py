"""Satisfaction survey answers (SKM) and the daily roll-ups behind the reports."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from shared.models.base import Base, UTCDateTime, origin_index, utcnow
from shared.models.tickets import Ticket


class SurveyResponse(Base):
    """One citizen's rating of one finished ticket (PermenPANRB 14/2017, nine elements 1..4)."""

    __tablename__ = "survey_response"
    __table_args__ = (
        Index("ix_survey_response_day_service", "business_date", "service_id"),
        origin_index("survey_response"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id"), unique=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id"))
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), index=True)
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counter.id"))
    clerk_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    business_date: Mapped[date] = mapped_column(Date)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    channel: Mapped[str] = mapped_column(String(10), default="ticket")  # ticket | counter
    u1: Mapped[int | None] = mapped_column(SmallInteger)
    u2: Mapped[int | None] = mapped_column(SmallInteger)
    u3: Mapped[int | None] = mapped_column(SmallInteger)
    u4: Mapped[int | None] = mapped_column(SmallInteger)
    u5: Mapped[int | None] = mapped_column(SmallInteger)
    u6: Mapped[int | None] = mapped_column(SmallInteger)
    u7: Mapped[int | None] = mapped_column(SmallInteger)
    u8: Mapped[int | None] = mapped_column(SmallInteger)
    u9: Mapped[int | None] = mapped_column(SmallInteger)
    age: Mapped[int | None] = mapped_column(SmallInteger)
    sex: Mapped[str | None] = mapped_column(String(1))  # L | P
    education: Mapped[str | None] = mapped_column(String(12))
    occupation: Mapped[str | None] = mapped_column(String(12))
    suggestion: Mapped[str] = mapped_column(Text, default="")
    origin: Mapped[str | None] = mapped_column(String(80))


class ReportDaily(Base):
    """Ticket counts and time sums per day, service, counter, clerk, source and arrival hour.

    Rebuilt from the ticket log for every business day the log touched since the last refresh
    (see shared.reports.rollup), so a year of tickets is read from a few thousand rows.
    """

    __tablename__ = "report_daily"
    __table_args__ = (
        Index("ix_report_daily_day", "business_date", "agency_id", "service_id"),
        Index("ix_report_daily_counter", "counter_id", "business_date"),
        Index("ix_report_daily_clerk", "clerk_id", "business_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    business_date: Mapped[date] = mapped_column(Date)
    weekday: Mapped[int] = mapped_column(SmallInteger)  # Monday 0
    hour: Mapped[int] = mapped_column(SmallInteger)  # local hour of arrival
    agency_id: Mapped[int] = mapped_column(Integer)
    service_id: Mapped[int] = mapped_column(Integer)
    counter_id: Mapped[int] = mapped_column(Integer, default=0)  # 0: never reached a counter
    clerk_id: Mapped[int] = mapped_column(Integer, default=0)
    source: Mapped[str] = mapped_column(String(10))
    issued: Mapped[int] = mapped_column(Integer, default=0)  # every ticket, transfers included
    arrived: Mapped[int] = mapped_column(Integer, default=0)  # new visits only (not transfers)
    served: Mapped[int] = mapped_column(Integer, default=0)
    no_show: Mapped[int] = mapped_column(Integer, default=0)
    cancelled: Mapped[int] = mapped_column(Integer, default=0)
    transferred: Mapped[int] = mapped_column(Integer, default=0)
    waited: Mapped[int] = mapped_column(Integer, default=0)  # tickets with a wait time
    wait_seconds: Mapped[int] = mapped_column(Integer, default=0)
    timed: Mapped[int] = mapped_column(Integer, default=0)  # tickets with a service time
    service_seconds: Mapped[int] = mapped_column(Integer, default=0)
    within_standard: Mapped[int] = mapped_column(Integer, default=0)


class ReportDuration(Base):
    """How many tickets waited (kind "wait") or were served ("service") for N whole minutes.

    Medians and 90th percentiles come from these histograms, at one-minute resolution.
    """

    __tablename__ = "report_duration"
    __table_args__ = (
        Index("ix_report_duration_day", "business_date", "agency_id", "service_id"),
        Index("ix_report_duration_counter", "counter_id", "business_date"),
        Index("ix_report_duration_clerk", "clerk_id", "business_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    business_date: Mapped[date] = mapped_column(Date)
    agency_id: Mapped[int] = mapped_column(Integer)
    service_id: Mapped[int] = mapped_column(Integer)
    counter_id: Mapped[int] = mapped_column(Integer, default=0)
    clerk_id: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(8))
    minutes: Mapped[int] = mapped_column(Integer)
    tickets: Mapped[int] = mapped_column(Integer, default=0)


# Roll-ups rebuild whole business days: find a day's tickets without scanning the table.
Index("ix_ticket_business_date", Ticket.business_date)


class ReportState(Base):
    """How far the roll-ups have read the ticket log (the last ticket_log.id folded in)."""

    __tablename__ = "report_state"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    last_log_id: Mapped[int] = mapped_column(Integer, default=0)
    refreshed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
