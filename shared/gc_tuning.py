"""Python's garbage collector and a server's start-up objects; also gunicorn's config module.

A full collection walks every object the collector tracks and stops the whole process meanwhile.
A server starts with about 220,000 of them (the libraries, translations, compiled statements),
nearly all living as long as the process, so each full collection took 90–160 ms: about once a
minute at 30 taps a second, and the tap or call it fell on waited that long (docs/benchmarks.md,
"Issue 18, ninth pass"). Frozen once start-up is done, they are left out of every collection,
which then walks only what was made since: 10–20 ms in a kiosk process.

run.py calls :func:`freeze_start_up` before serving; gunicorn reads this module as its config
(``gunicorn --config python:shared.gc_tuning``) and calls :func:`post_worker_init` once the worker
has loaded the app. It imports nothing else: gunicorn's master reads it before the gevent worker
patches the standard library.
"""

from __future__ import annotations

import gc


def freeze_start_up() -> None:
    gc.collect()  # start-up's garbage is freed, not frozen with the rest
    gc.freeze()


def post_worker_init(worker) -> None:
    """gunicorn's hook, called in the worker after the app is loaded, before it serves."""
    freeze_start_up()
