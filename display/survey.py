"""Citizens rate a finished service (SKM): on the ticket page and on a counter-side tablet."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from shared import skm
from shared.models import Counter, Ticket
from shared.survey import (
    EDUCATION,
    OCCUPATIONS,
    check_tablet,
    last_finished_at_counter,
    submit_survey,
    unrated_in_visit,
)
from shared.web.database import get_session
from shared.web.limits import code_lookup, limiter

# The counter tablet's token, kept after its registration link was opened once.
TABLET_COOKIE = "antre_tablet"
TABLET_MAX_AGE = 5 * 365 * 24 * 3600

bp = Blueprint(
    "survey",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/display/survey/static",
)

# The regulation's 4-point wording per element, translated when the page is drawn (lazy): the
# Indonesian in the catalogue is PermenPANRB 14/2017's own.
SCALES = {
    "u1": (
        _l("Not appropriate"),
        _l("Less appropriate"),
        _l("Appropriate"),
        _l("Very appropriate"),
    ),
    "u2": (_l("Not easy"), _l("Less easy"), _l("Easy"), _l("Very easy")),
    "u3": (_l("Not fast"), _l("Less fast"), _l("Fast"), _l("Very fast")),
    "u4": (_l("Very expensive"), _l("Fairly expensive"), _l("Cheap"), _l("Free")),
    "u5": (
        _l("Not appropriate"),
        _l("Less appropriate"),
        _l("Appropriate"),
        _l("Very appropriate"),
    ),
    "u6": (_l("Not competent"), _l("Less competent"), _l("Competent"), _l("Very competent")),
    "u7": (
        _l("Not polite and friendly"),
        _l("Less polite and friendly"),
        _l("Polite and friendly"),
        _l("Very polite and friendly"),
    ),
    "u8": (
        _l("No complaint handling"),
        _l("Exists but does not work"),
        _l("Works, not fully"),
        _l("Well managed"),
    ),
    "u9": (_l("Bad"), _l("Adequate"), _l("Good"), _l("Very good")),
}
# The respondent's occupation, by the code the database keeps.
OCCUPATION_LABELS = {
    "pns": _l("Civil servant (PNS)"),
    "tni": _l("Armed forces (TNI)"),
    "polri": _l("Police (POLRI)"),
    "swasta": _l("Private employee"),
    "wirausaha": _l("Self-employed"),
    "pelajar": _l("Student"),
    "lainnya": _l("Other"),
}


def _ticket(code: str) -> Ticket:
    ticket = get_session().execute(select(Ticket).where(Ticket.code == code)).scalar_one_or_none()
    if ticket is None:
        abort(404)
    return ticket


def _form(template: str, ticket: Ticket | None, **extra):
    return render_template(
        template,
        ticket=ticket,
        elements=skm.ELEMENTS,
        scales=SCALES,
        education=EDUCATION,
        occupations=OCCUPATIONS,
        occupation_labels=OCCUPATION_LABELS,
        **extra,
    )


@bp.route("/t/<code>/survey", methods=["GET", "POST"])
@limiter.limit("30/minute", methods=["POST"])
@code_lookup
def ticket_survey(code: str):
    session = get_session()
    pending = unrated_in_visit(session, _ticket(code))
    if request.method == "POST":
        chosen = next((t for t in pending if str(t.id) == request.form.get("ticket_id")), None)
        if chosen is None:
            abort(409)
        submit_survey(session, chosen, request.form, channel="ticket")
        session.commit()
        return redirect(url_for("survey.ticket_survey", code=code, thanks=1))
    return _form(
        "survey/form.html",
        pending[0] if pending else None,
        thanks=bool(request.args.get("thanks")),
        action=request.path,
    )


@bp.route("/display/survey/counter/<int:counter_id>", methods=["GET", "POST"])
@limiter.limit("30/minute", methods=["POST"])
def counter_survey(counter_id: int):
    session = get_session()
    counter = session.get(Counter, counter_id) or abort(404)
    link_token = request.args.get("token")
    if link_token:
        # Registration link: check the token, keep it in a cookie, drop it from the address bar.
        check_tablet(counter, link_token)
        response = redirect(url_for("survey.counter_survey", counter_id=counter.id))
        response.set_cookie(
            TABLET_COOKIE,
            link_token,
            max_age=TABLET_MAX_AGE,
            path="/display/survey/counter/",
            httponly=True,
            # Lax: the link may be opened from another app (a QR scan); the redirect must carry it.
            samesite="Lax",
            secure=current_app.config["SESSION_COOKIE_SECURE"],
        )
        return response
    check_tablet(counter, request.cookies.get(TABLET_COOKIE))
    ticket = last_finished_at_counter(session, counter)
    if request.method == "POST":
        if ticket is None or request.form.get("ticket_id") != str(ticket.id):
            abort(409)
        submit_survey(session, ticket, request.form, channel="counter")
        session.commit()
        return redirect(url_for("survey.counter_survey", counter_id=counter_id, thanks=1))
    return _form(
        "survey/form.html",
        ticket,
        counter=counter,
        tablet=True,
        thanks=bool(request.args.get("thanks")),
        action=request.path,
    )
