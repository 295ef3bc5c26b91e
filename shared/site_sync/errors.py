"""Why a sync file is refused: domain errors, answered by the web layer in the user's language."""

from __future__ import annotations

from shared.queue.errors import N_, DomainError


class SyncRefused(DomainError):
    status = 400
    code = "sync_refused"
    message = N_("This sync file cannot be read.")


class MalformedFile(SyncRefused):
    """``reason`` is one of REASONS (translated by the web layer); ``detail`` is for the CLI."""

    code = "sync_malformed"
    message = N_("This sync file is damaged or incomplete: %(reason)s.")

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason=reason)
        self.detail = detail

    def __str__(self) -> str:
        return f"{super().__str__()} {self.detail}".strip()


NO_HEADER = N_("no signed header")
UNKNOWN_FORMAT = N_("an unknown format")
OTHER_SITE = N_("it is the file of another site")
NOT_THE_FORMAT = N_("the data does not follow the format")
TWICE = N_("a row or a number appears twice")
DANGLING = N_("a row refers to a ticket or visit not in the file")
REASONS = (NO_HEADER, UNKNOWN_FORMAT, OTHER_SITE, NOT_THE_FORMAT, TWICE, DANGLING)


class UnknownSite(SyncRefused):
    status = 404
    code = "sync_unknown_site"
    message = N_("No site %(site)s here: create it with the same service codes first.")


class NoKeyRegistered(SyncRefused):
    status = 403
    code = "sync_no_key"
    message = N_("Site %(site)s has no sync key registered (antre site trust).")


class WrongKey(SyncRefused):
    status = 403
    code = "sync_wrong_key"
    message = N_("This file is signed by key %(key_id)s, not by the key registered for %(site)s.")


class BadSignature(SyncRefused):
    status = 403
    code = "sync_bad_signature"
    message = N_("The signature does not match: the file was changed or cut after signing.")


class MissingPlaces(SyncRefused):
    status = 409
    code = "sync_missing_places"
    message = N_("Site %(site)s here lacks services %(services)s and counters %(counters)s.")


class NumberClash(SyncRefused):
    status = 409
    code = "sync_number_clash"
    message = N_("Numbers already given here on the same day: %(numbers)s. Nothing was imported.")


class OriginClash(SyncRefused):
    status = 409
    code = "sync_origin_clash"
    message = N_("Tickets %(numbers)s clash with tickets imported earlier from this site.")
