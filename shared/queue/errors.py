"""Domain errors: a code, an English message id for translation, and the values to put in it.

The message ids are marked with ``N_`` so Babel extracts them; the web layer translates them into
the user's language (Indonesian first) and answers 409 or 4xx. No Flask here.
"""

from __future__ import annotations


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "translate later"
    return message


class DomainError(Exception):
    status = 409
    code = "conflict"
    message = N_("This action is not possible now.")

    def __init__(self, message: str | None = None, **params) -> None:
        if message is not None:
            self.message = message
        self.params = params
        super().__init__(self.message % params if params else self.message)


class NotFound(DomainError):
    status = 404
    code = "not_found"
    message = N_("Not found.")


class InvalidTransition(DomainError):
    code = "invalid_transition"
    message = N_("Ticket %(number)s (%(status)s) cannot be %(action)s.")


class ServiceUnavailable(DomainError):
    code = "service_unavailable"
    message = N_("This service cannot be taken now.")


class QuotaExhausted(ServiceUnavailable):
    code = "quota_exhausted"
    message = N_("Today's quota is used up.")


class OutsideHours(ServiceUnavailable):
    code = "outside_hours"
    message = N_("Open %(opens)s–%(closes)s %(zone)s.")


class ClosedToday(ServiceUnavailable):
    code = "closed_today"
    message = N_("Closed today.")


class NoCounterOpen(ServiceUnavailable):
    code = "no_counter_open"
    message = N_("No counter is open for this service.")


class ServiceInactive(ServiceUnavailable):
    code = "service_inactive"
    message = N_("This service is not offered at the moment.")


class InvalidPriority(DomainError):
    status = 422
    code = "invalid_priority"
    message = N_("Unknown priority group.")


class CounterNotOpen(DomainError):
    code = "counter_not_open"
    message = N_("Counter %(counter)s is not open.")


class CounterBusy(DomainError):
    code = "counter_busy"
    message = N_(
        "Counter %(counter)s is still handling ticket %(number)s: finish or skip it first."
    )


class RecallLimitReached(DomainError):
    code = "recall_limit"
    message = N_("Ticket %(number)s was already recalled %(limit)s times: mark it as a no-show.")


class RecallsRequired(DomainError):
    code = "recalls_required"
    message = N_("Recall ticket %(number)s %(limit)s times before marking it as a no-show.")


class WrongCounter(DomainError):
    status = 403
    code = "wrong_counter"
    message = N_("Ticket %(number)s is not served at this counter.")


class NotTransferable(DomainError):
    status = 422
    code = "not_transferable"
    message = N_("A ticket cannot be transferred to the service it is already in.")
