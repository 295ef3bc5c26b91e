"""``antre jkn set-credentials``: the password stored as a hash, then a token with it."""

from __future__ import annotations

import secrets

from shared.models import JknCredential, Site


def test_set_credentials_then_a_token(runner, client, app_session):
    result = runner(
        "jkn",
        "set-credentials",
        "--site",
        "rsud-sts",
        "--username",
        "bpjs",
        "--password",
        "Rahasia-RS-2026",
    )
    assert result.exit_code == 0, result.output
    assert "Rahasia" not in result.output
    site = app_session.query(Site).filter_by(slug="rsud-sts").one()
    stored = app_session.get(JknCredential, site.id)
    assert stored.username == "bpjs" and stored.password_hash.startswith("$argon2")
    app_session.rollback()
    headers = {"x-username": "bpjs", "x-password": "Rahasia-RS-2026"}
    assert client.get("/jkn/rsud-sts/token", headers=headers).status_code == 200
    old = {"x-username": "mobilejkn", "x-password": "antre123"}  # replaced
    assert client.get("/jkn/rsud-sts/token", headers=old).status_code == 201


def test_unknown_site_and_short_password_are_refused(runner):
    assert (
        runner(
            "jkn",
            "set-credentials",
            "--site",
            "tidak-ada",
            "--username",
            "u",
            "--password",
            "panjang-sekali",
        ).exit_code
        != 0
    )
    short = runner(
        "jkn", "set-credentials", "--site", "rsud-sts", "--username", "u", "--password", "pendek"
    )
    assert short.exit_code != 0 and "8 characters" in short.output


def test_the_web_service_runs_alone(config):
    """antre-app@mobilejkn: the package's own app answers /jkn/ like the embedded one."""
    import mobilejkn
    from shared.web.startup import prepare_database

    prepare_database(config, upgrade=False)
    app = mobilejkn.create_app(config)
    headers = {"x-username": "mobilejkn", "x-password": "antre123"}
    assert app.test_client().get("/jkn/rsud-sts/token", headers=headers).status_code == 200


def test_the_demo_password_gives_no_token_outside_demo_mode(config):
    """A demo database put into production: its Mobile JKN login no longer works."""
    import run
    from shared.web.startup import prepare_database

    prepare_database(config, upgrade=False)  # the demo seed
    config.demo = False
    config.secret_key = secrets.token_urlsafe(48)
    app = run.create_app(config)
    headers = {"x-username": "mobilejkn", "x-password": "antre123"}
    answer = app.test_client().get("/jkn/rsud-sts/token", headers=headers)
    assert answer.get_json()["metadata"]["code"] == 201
