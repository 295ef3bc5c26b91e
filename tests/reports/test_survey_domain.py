"""submit_survey: finished tickets only, one response each, answers checked."""

from __future__ import annotations

import pytest

from shared.models import SurveyResponse
from shared.survey import (
    AlreadyRated,
    InvalidAnswer,
    NotRateable,
    submit_survey,
    unrated_in_visit,
)
from tests.reports.seeded_day import at, seed_day


@pytest.fixture
def day(session, factory):
    return seed_day(session, factory, with_survey=False)


def test_a_finished_ticket_is_rated_once(session, day):
    t1 = day.tickets["T1"]
    response = submit_survey(
        session,
        t1,
        {"u1": "4", "u2": "3", "age": "45", "sex": "P", "education": "d4_s1", "suggestion": " ok "},
        now=at("10:00"),
    )
    assert (response.u1, response.u2, response.u3) == (4, 3, None)
    assert (response.counter_id, response.clerk_id) == (day.c1.id, day.k1.id)
    assert (response.age, response.sex, response.suggestion) == (45, "P", "ok")
    with pytest.raises(AlreadyRated):
        submit_survey(session, t1, {"u1": 4})
    assert session.query(SurveyResponse).count() == 1


@pytest.mark.parametrize("name", ["T3", "T4", "T7"])  # no-show, cancelled, still waiting
def test_unfinished_tickets_cannot_be_rated(session, day, name):
    with pytest.raises(NotRateable):
        submit_survey(session, day.tickets[name], {"u1": 4})


def test_each_served_ticket_of_a_transferred_visit_can_be_rated(session, day):
    t6 = day.tickets["T6"]
    assert [t.id for t in unrated_in_visit(session, t6)] == [day.tickets["T5"].id, t6.id]
    submit_survey(session, day.tickets["T5"], {"u7": 4})
    assert [t.id for t in unrated_in_visit(session, t6)] == [t6.id]
    submit_survey(session, t6, {"u7": 3})
    assert unrated_in_visit(session, t6) == []


@pytest.mark.parametrize(
    "answers",
    [{}, {"u1": 5}, {"u1": 4, "age": "7"}, {"u1": 4, "sex": "X"}, {"u1": 4, "education": "phd"}],
)
def test_bad_answers_are_refused(session, day, answers):
    with pytest.raises(InvalidAnswer):
        submit_survey(session, day.tickets["T1"], answers)
