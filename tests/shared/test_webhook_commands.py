"""``antre webhook add|list|remove`` against the test database (click's CliRunner)."""

from __future__ import annotations

from shared.db import make_engine, make_session_factory
from shared.models import Webhook

SLUG = "mpp-tebo"
SECRET = "cli-secret-0123456789"


def _webhooks(url) -> list[Webhook]:
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        rows = session.query(Webhook).order_by(Webhook.id).all()
        session.expunge_all()
    engine.dispose()
    return rows


def test_add_list_and_remove(runner, config):
    added = runner(
        "webhook", "add", "--site", SLUG, "--url", "https://dashboard.example/hook",
        "--secret", SECRET, "--events", "ticket.called, ticket.issued",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    webhook_id = int(added.output.strip())
    [webhook] = _webhooks(config.database_url)
    assert webhook.id == webhook_id and webhook.secret == SECRET
    assert webhook.events == ["ticket.issued", "ticket.called"]
    assert not webhook.include_personal_data and webhook.active

    listed = runner("webhook", "list", "--site", SLUG)
    assert "https://dashboard.example/hook" in listed.output
    assert SECRET not in listed.output and "…6789" in listed.output

    removed = runner("webhook", "remove", str(webhook_id))
    assert removed.exit_code == 0 and _webhooks(config.database_url) == []
    assert runner("webhook", "remove", str(webhook_id)).exit_code != 0


def test_add_refuses_bad_input_and_generates_a_secret(runner, config):
    for bad in (
        ["--url", "ftp://x.example/", "--events", "ticket.called"],
        ["--url", "https://x.example/", "--events", "ticket.eaten"],
        ["--url", "https://x.example/", "--events", "ticket.called", "--secret", "short"],
    ):
        result = runner("webhook", "add", "--site", SLUG, *bad)
        assert result.exit_code == 1, result.output
    assert runner("webhook", "add", "--site", "nowhere", "--url", "https://x.example/",
                  "--events", "ticket.called").exit_code == 1  # fmt: skip
    assert _webhooks(config.database_url) == []
    generated = runner(
        "webhook", "add", "--site", SLUG, "--url", "http://10.0.0.5:8080/antre",
        "--events", "booking.made", "--personal-data",
    )  # fmt: skip
    assert generated.exit_code == 0, generated.output
    [webhook] = _webhooks(config.database_url)
    assert len(webhook.secret) >= 32 and webhook.include_personal_data
