"""Taking a citizen's SKM answers for a finished ticket: one response per ticket."""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from shared import skm, timeutil
from shared.models import Counter, SurveyResponse, Ticket
from shared.queue import errors
from shared.queue.errors import N_
from shared.queue.states import DONE, TRANSFERRED
from shared.seed import token_hash
from shared.text import TextRefused, clean_text
from shared.webhooks import record as webhooks

# The regulation's questionnaire: the optional respondent data.
SEXES = ("L", "P")
EDUCATION = ("sd", "smp", "sma", "d1_d3", "d4_s1", "s2", "s3")
OCCUPATIONS = ("pns", "tni", "polri", "swasta", "wirausaha", "pelajar", "lainnya")
MIN_AGE, MAX_AGE = 10, 110
MAX_SUGGESTION = 1000


class AlreadyRated(errors.DomainError):
    code = "already_rated"
    message = N_("Ticket %(number)s has already been rated. Thank you!")


class NotRateable(errors.DomainError):
    code = "not_rateable"
    message = N_("Ticket %(number)s can be rated once its service is finished.")


class InvalidAnswer(errors.DomainError):
    status = 422
    code = "invalid_answer"
    message = N_("Please check your answer to question %(question)s.")


class TabletNotRegistered(errors.DomainError):
    status = 403
    code = "tablet_not_registered"
    message = N_(
        "This tablet is not registered for counter %(number)s: ask the MPP's IT officer for "
        "its link."
    )


def register_tablet(session: Session, counter: Counter) -> str:
    """A new token for the counter's survey tablet (any earlier tablet of it stops working).

    Only its SHA-256 is kept; the token itself is shown once, in the tablet's link.
    """
    token = secrets.token_urlsafe(24)
    counter.tablet_token_hash = token_hash(token)
    session.flush()
    return token


def tablet_link(public_url: str, counter: Counter, token: str) -> str:
    """The link the tablet opens once (the display app's page; its token goes into a cookie)."""
    return f"{public_url.rstrip('/')}/display/survey/counter/{counter.id}?token={token}"


def check_tablet(counter: Counter, token: str | None) -> None:
    """Only the tablet registered for this counter may rate its tickets (no one else on the LAN)."""
    expected = counter.tablet_token_hash
    if not (token and expected and hmac.compare_digest(token_hash(token), expected)):
        raise TabletNotRegistered(number=counter.number)


def is_rateable(ticket: Ticket) -> bool:
    """Finished service: done, or transferred on after being served at a counter."""
    if ticket.status == DONE:
        return True
    return ticket.status == TRANSFERRED and ticket.started_at is not None


def response_for(session: Session, ticket_id: int) -> SurveyResponse | None:
    stmt = select(SurveyResponse).where(SurveyResponse.ticket_id == ticket_id)
    return session.execute(stmt).scalar_one_or_none()


def unrated_in_visit(session: Session, ticket: Ticket) -> list[Ticket]:
    """The visit's finished tickets still waiting for a rating (a transfer leaves several)."""
    tickets = [t for t in ticket.visit.tickets if is_rateable(t)]
    if not tickets:
        return []
    rated = set(
        session.execute(
            select(SurveyResponse.ticket_id).where(
                SurveyResponse.ticket_id.in_([t.id for t in tickets])
            )
        ).scalars()
    )
    return [t for t in tickets if t.id not in rated]


def last_finished_at_counter(session: Session, counter: Counter) -> Ticket | None:
    """The counter's most recently finished ticket of today, if it has no rating yet."""
    today = timeutil.business_date(timeutil.now_utc(), _timezone(session, counter))
    stmt = (
        select(Ticket)
        .where(
            Ticket.counter_id == counter.id,
            Ticket.business_date == today,
            Ticket.status.in_((DONE, TRANSFERRED)),
            Ticket.started_at.is_not(None),
        )
        .order_by(Ticket.finished_at.desc(), Ticket.id.desc())
        .limit(1)
    )
    ticket = session.execute(stmt).scalar_one_or_none()
    if ticket is None or response_for(session, ticket.id) is not None:
        return None
    return ticket


def _timezone(session: Session, counter: Counter) -> str:
    from shared.queue.sites import get_site

    return get_site(session, counter.site_id).timezone


def _choice(answers: Mapping[str, object], key: str, allowed: tuple[str, ...]) -> str | None:
    value = answers.get(key)
    if value in (None, ""):
        return None
    if value not in allowed:
        raise InvalidAnswer(question=key)
    return str(value)


def _age(answers: Mapping[str, object]) -> int | None:
    value = answers.get("age")
    if value in (None, ""):
        return None
    try:
        age = int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InvalidAnswer(question="age") from None
    if not MIN_AGE <= age <= MAX_AGE:
        raise InvalidAnswer(question="age")
    return age


def _suggestion(answers: Mapping[str, object]) -> str:
    try:
        return clean_text(str(answers.get("suggestion") or ""), multiline=True)[:MAX_SUGGESTION]
    except TextRefused as refused:
        raise InvalidAnswer(refused.message, field="suggestion") from None


def submit_survey(
    session: Session,
    ticket: Ticket,
    answers: Mapping[str, object],
    *,
    channel: str = "ticket",
    now: datetime | None = None,
) -> SurveyResponse:
    """Record the rating of a finished ticket; a second rating of the same ticket is refused.

    ``answers``: u1..u9 (1..4, each optional but at least one), age, sex (L/P), education,
    occupation (codes above) and suggestion, all optional.
    """
    now = now or timeutil.now_utc()
    if not is_rateable(ticket):
        raise NotRateable(number=ticket.display_number)
    if response_for(session, ticket.id) is not None:
        raise AlreadyRated(number=ticket.display_number)
    try:
        scores = skm.validate_scores(answers)
    except ValueError as bad:
        raise InvalidAnswer(question=str(bad).lstrip("u")) from None
    if all(v is None for v in scores.values()):
        raise InvalidAnswer(question="1")
    suggestion = _suggestion(answers)
    response = SurveyResponse(
        ticket_id=ticket.id,
        service_id=ticket.service_id,
        agency_id=ticket.service.agency_id,
        counter_id=ticket.counter_id,
        clerk_id=ticket.clerk_id,
        business_date=ticket.business_date,
        submitted_at=now,
        channel=channel if channel in ("ticket", "counter") else "ticket",
        age=_age(answers),
        sex=_choice(answers, "sex", SEXES),
        education=_choice(answers, "education", EDUCATION),
        occupation=_choice(answers, "occupation", OCCUPATIONS),
        suggestion=suggestion,
        **scores,
    )
    try:
        # UNIQUE(ticket_id) settles a race between two submissions (two phones, one ticket).
        with session.begin_nested():
            session.add(response)
            session.flush()
    except IntegrityError:
        raise AlreadyRated(number=ticket.display_number) from None
    webhooks.survey_event(session, ticket, response)
    return response
