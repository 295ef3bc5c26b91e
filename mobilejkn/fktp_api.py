"""The puskesmas variant (Antrean FKTP) at the same prefix: ``auth``, ``antrean/status/…``,
``antrean``, ``antrean/sisapeserta/…``, ``antrean/batal`` (PUT) and ``peserta``.

The same credentials, tokens, envelope and bookings as the hospital's (mobilejkn/api.py);
bookings are found by card number, poli and date (shared/mobilejkn/fktp.py).
"""

from __future__ import annotations

from mobilejkn.api import CALLS, TOKENS, _token, answer, authorised_site, body, bp
from shared.mobilejkn import fktp, patients
from shared.web.database import get_session
from shared.web.limits import limiter


@bp.get("/auth")
@limiter.limit(TOKENS)
def auth(slug: str):
    return _token(slug)


@bp.get("/antrean/status/<kodepoli>/<tanggalperiksa>")
@limiter.limit(CALLS)
def poli_status(slug: str, kodepoli: str, tanggalperiksa: str):
    return answer(
        lambda: fktp.poli_status(get_session(), authorised_site(slug), kodepoli, tanggalperiksa)
    )


@bp.post("/antrean")
@limiter.limit(CALLS)
def take(slug: str):
    return answer(lambda: fktp.take_fktp_queue(get_session(), authorised_site(slug), body()))


@bp.get("/antrean/sisapeserta/<nomorkartu>/<kodepoli>/<tanggalperiksa>")
@limiter.limit(CALLS)
def remaining(slug: str, nomorkartu: str, kodepoli: str, tanggalperiksa: str):
    return answer(
        lambda: fktp.remaining_of_card(
            get_session(), authorised_site(slug), nomorkartu, kodepoli, tanggalperiksa
        )
    )


@bp.put("/antrean/batal")
@limiter.limit(CALLS)
def cancel(slug: str):
    return answer(lambda: fktp.cancel_of_card(get_session(), authorised_site(slug), body()))


@bp.post("/peserta")
@limiter.limit(CALLS)
def register(slug: str):
    def run():
        patients.register_new_patient(get_session(), authorised_site(slug), body())

    return answer(run)
