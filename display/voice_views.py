"""Sound for the TVs (chime, spoken calls) and the admin page for the recorded clips."""

from __future__ import annotations

from pathlib import Path

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from display.views import bp, instance_path
from shared import voice
from shared.models import Service
from shared.queue import errors
from shared.queue.sites import get_site, site_by_slug
from shared.voice.phrases import CLIP_LABELS
from shared.web.auth import require_roles
from shared.web.database import get_session
from shared.web.limits import limiter

UPLOAD_LIMIT = 8 * 1024 * 1024  # a page of clips; the app's default limit is for small forms


class BadPhrase(errors.DomainError):
    status = 400
    code = "bad_phrase"
    message = errors.N_("Give a prefix of one to three letters, a number and a counter number.")


class NoServerVoice(errors.DomainError):
    status = 503
    code = "no_server_voice"
    message = errors.N_("The server cannot speak: the display uses the browser's voice.")


def _asked_site_slug() -> str | None:
    """The site of ``?site=<slug>`` (an existing site's slug, so safe in a path), or None."""
    slug = request.args.get("site")
    if not slug:
        return None
    site = site_by_slug(get_session(), slug)
    if site is None:
        abort(404)
    return site.slug


def _admin_site_slug() -> str | None:
    """Whose clips the admin page manages: a site admin's own site's; an installation admin's,
    the installation's, or a site's with ``?site=<slug>``."""
    if current_user.site_id is not None:
        return get_site(get_session(), current_user.site_id).slug
    return _asked_site_slug()


def _wav(data: bytes, max_age: int) -> Response:
    response = Response(data, mimetype="audio/wav")
    response.cache_control.max_age = max_age
    response.cache_control.public = True
    return response


@bp.url_value_preprocessor
def _allow_clip_uploads(endpoint, _values):
    """The upload page takes more than the app's small form limit. URL preprocessors run
    before any before_request function, so before CSRF protection reads the form."""
    if endpoint == "display.voice_upload":
        request.max_content_length = UPLOAD_LIMIT


def _poli_name(service_id: str | None) -> str | None:
    """The name of the service ``?poli=`` names; ValueError for anything else."""
    if not service_id:
        return None
    if not service_id.isdigit() or len(service_id) > 9:
        raise ValueError("poli: a service id")
    service = get_session().get(Service, int(service_id))
    if service is None:
        raise ValueError("poli: no such service")
    return service.name


@bp.get("/api/chime.wav")
def chime():
    return _wav(voice.chime_wav(), 86400)


@bp.get("/api/announcement.wav")
@limiter.limit("60/minute")
def announcement():
    """?prefix=A&number=123&counter=5&lang=id -> recorded clips stitched, or espeak-ng.

    ``&poli=<service id>`` calls to a consulting room: "silakan ke Poli Anak, ruang 3" (the
    service's name is looked up here, so the phrases stay as few as the services)."""
    args = request.args
    try:
        call = voice.Call.parse(
            args.get("prefix", ""),
            args.get("number", ""),
            args.get("counter", ""),
            _poli_name(args.get("poli")),
        )
    except ValueError as error:
        raise BadPhrase() from error
    lang = "en" if args.get("lang") == "en" else "id"
    try:
        data, source = voice.announcement_audio(instance_path(), call, lang, _asked_site_slug())
    except voice.SpeechUnavailable as error:
        raise NoServerVoice() from error
    response = _wav(data, 3600)
    response.headers["X-Antre-Voice"] = source
    return response


@bp.get("/admin/voice")
@require_roles("admin")
def voice_admin():
    site = _admin_site_slug()
    return render_template(
        "display/voice_admin.html",
        clips=voice.clip_status(instance_path(), site),
        labels=CLIP_LABELS,
        source=voice.server_voice(instance_path(), site),
        espeak=voice.espeak_path(),
        site=site,
    )


@bp.post("/admin/voice")
@require_roles("admin")
def voice_upload():
    """Files named after their clip (satu.wav), or one file for the clip chosen in the list."""
    chosen = request.form.get("clip", "")
    site = _admin_site_slug()
    saved, refused = [], []
    for upload in request.files.getlist("files"):
        if not upload.filename:
            continue
        name = chosen or Path(upload.filename).stem.lower()
        try:
            voice.import_clip(instance_path(), name, upload.read(), site)
            saved.append(name)
        except voice.ClipError as error:
            reason = f"{upload.filename}: {gettext(error.message, **error.params)}"
            refused.append((reason, error.detail))
    if saved:
        flash(gettext("Saved: %(names)s", names=", ".join(saved)), "ok")
    for reason, detail in refused:
        # The category carries the technical detail, shown folded behind the message.
        flash(gettext("Refused: %(reason)s", reason=reason), f"error|{detail}")
    if not saved and not refused:
        flash(gettext("Choose at least one WAV file."), "error")
    return redirect(url_for("display.voice_admin", site=request.args.get("site") or None))
