"""The embedded default: all three apps in one process, one Socket.IO server, SQLite.

    python run.py [--host H] [--port P] [--demo]     (or ANTRE_HOST / ANTRE_PORT / ANTRE_DEMO=1)

Production mode unless demo mode is asked for (``--demo`` or ANTRE_DEMO=1; ``make run`` asks for
it): the database is migrated on start; without ANTRE_SECRET_KEY a random key is generated once
in the instance folder; the first admin is made with ``antre create-admin``. In demo mode the
database is seeded with the demo sites on first start; each site's kiosk and TV addresses and
the demo staff logins are printed.
"""

from __future__ import annotations

import argparse
import os
import sys


def create_app(config=None):
    """One Flask app holding the kiosk, counter and display apps (and /t/<code>)."""
    import counter
    import display
    import kiosk
    import mobilejkn
    from shared.web import create_base_app, portal

    app = create_base_app(config, name="antre")
    for part in (kiosk, counter, display):
        part.init_app(app)
    portal.init_app(app)
    mobilejkn.init_app(app)
    return app


def _arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Run Antre (kiosk, counter and display) at once.")
    parser.add_argument("--host", default=os.environ.get("ANTRE_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("ANTRE_PORT", "5000")))
    parser.add_argument(
        "--demo",
        action="store_true",
        help="demo mode: the demo mall, its public passwords and key (never for a real MPP)",
    )
    return parser.parse_args(argv)


def prepare_async_mode() -> None:
    """gevent unless ANTRE_ASYNC_MODE says otherwise: patched before anything imports socket or
    threading, for the websockets' greenlets."""
    os.environ.setdefault("ANTRE_ASYNC_MODE", "gevent")
    if os.environ["ANTRE_ASYNC_MODE"] == "gevent":
        from gevent import config as gevent_config
        from gevent import monkey

        # Every websocket holds a greenlet (shared/web/websocket.py); gevent's default records
        # each one's spawning stack (~1.2 KB a greenlet, docs/benchmarks.md) for debugging we
        # never do.
        gevent_config.track_greenlet_tree = False
        monkey.patch_all()


def main(argv: list[str] | None = None) -> None:
    args = _arguments(sys.argv[1:] if argv is None else argv)
    if args.demo:
        os.environ["ANTRE_DEMO"] = "1"
    prepare_async_mode()

    from shared import gc_tuning
    from shared.config import Config, ConfigError
    from shared.web import housekeeping, outbox_relay, socketio_of
    from shared.web.startup import has_staff, prepare_database

    try:
        config = Config.from_env(host=args.host, port=args.port)
        if "ANTRE_PUBLIC_URL" not in os.environ:
            shown = "127.0.0.1" if args.host in ("0.0.0.0", "::") else args.host
            config.public_url = f"http://{shown}:{args.port}"
        logins = prepare_database(config, upgrade=True)
        app = create_app(config)
    except ConfigError as error:
        sys.exit(f"antre: {error}")
    _banner(config, logins, staff=has_staff(config.database_url))
    housekeeping.start(app)
    outbox_relay.start(app)
    gc_tuning.freeze_start_up()  # the start-up's objects out of every collection
    options = {}
    if os.environ["ANTRE_ASYNC_MODE"] == "gevent":
        from shared.web.serving import NoDelayHandler

        options["handler_class"] = NoDelayHandler  # see shared/web/serving.py: ~40 ms a request
    socketio_of(app).run(app, host=args.host, port=args.port, log_output=False, **options)


def _banner(config, logins, *, staff: bool) -> None:
    base = config.public_url.rstrip("/")
    print(f"Antre is running at {base}/", flush=True)
    for path, what in (
        ("kiosk", "kiosk (citizens)"),
        ("counter", "counter (staff)"),
        ("display", "display (lobby TV)"),
    ):
        print(f"  {what:<20} {base}/{path}/")
    print(f"  {'ticket page':<20} {base}/t/<code>")
    if config.demo:
        print("DEMO MODE (public passwords and key: never for a real MPP)")
        if logins:
            print("Demo staff logins (password for all: antre123)")
        for group in logins:
            if group["slug"]:
                print(f"{group['name']}")
                print(f"  {'kiosk':<20} {base}/kiosk/?site={group['slug']}")
                print(f"  {'TV chooser':<20} {base}/display/?site={group['slug']}")
            for username, role, agency in group["logins"]:
                print(f"  {username:<24} {role:<11} {agency}")
    else:
        print("Production mode (for the demo instead: run.py --demo, or make run)")
    if not config.demo and not staff:
        print("No staff account yet. Create the first admin (it asks for a password):")
        print("  .venv/bin/antre create-admin --username <name> --name '<full name>'")
    print(flush=True)


if __name__ == "__main__":
    main()
