"""One durable outbox for everything that leaves the system (docs/architecture.md, "Outbox")."""

from shared.outbox.delivery import Fail, Handler, Retry, register
from shared.outbox.store import enqueue, replay

__all__ = ["Fail", "Handler", "Retry", "enqueue", "register", "replay"]
