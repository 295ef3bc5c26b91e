"""The site's Outbox page: every message that failed for good (any kind), with a retry.
"Anything that fails for good stays visible on an admin page"."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext
from sqlalchemy import func, select

from counter.admin.webhooks import event_label, replay_message
from counter.blueprint import bp
from counter.site_scope import current_site
from shared.models import OutboxMessage
from shared.outbox.problems import PROBLEMS, delivery_problem
from shared.web.auth import require_roles
from shared.web.database import get_session

ROWS = 200


@bp.get("/admin/outbox/")
@require_roles("admin")
def outbox_failed():
    site = current_site()
    session = get_session()
    failed = OutboxMessage.failed_at.is_not(None)
    of_site = OutboxMessage.site_id == site.id
    messages = session.execute(
        select(OutboxMessage).where(of_site, failed).order_by(OutboxMessage.id.desc()).limit(ROWS)
    ).scalars()
    waiting = session.execute(
        select(func.count()).where(
            of_site, OutboxMessage.delivered_at.is_(None), OutboxMessage.failed_at.is_(None)
        )
    ).scalar_one()
    return render_template(
        "counter/admin/outbox.html",
        site=site,
        messages=list(messages),
        waiting=waiting,
        event_label=event_label,
        delivery_problem=delivery_problem,
        delivery_problems=PROBLEMS,
    )


@bp.post("/admin/outbox/<int:message_id>/retry")
@require_roles("admin")
def outbox_retry(message_id: int):
    session = get_session()
    message = session.get(OutboxMessage, message_id)
    if message is None or message.site_id != current_site().id:
        abort(404)
    replay_message(session, message)
    flash(gettext("Queued again: %(id)s", id=message.uid))
    return redirect(url_for("counter.outbox_failed"))
