"""Signed webhooks for integrators (docs/webhooks.md): events recorded with the change, in the
outbox, and delivered by the "webhook" handler."""
