"""Staff sockets that outlived their rights: a user deactivated, deleted, moved to another
agency, or whose sessions were revoked after connecting stays connected (and in the agency's room,
hearing its tickets) until something looks again. A revocation committed with a publisher drops
that user's sockets in every process at once (shared/staff_sessions.py); every process also looks
at its own sockets every few seconds and drops those, which covers changes committed without one
(the antre command, a direct database change).

The rule is the one the connect and join handlers apply: an active user, on the session
generation the socket connected with, who may manage every agency whose room the socket is in.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.models import StaffUser
from shared.queue import publishing
from shared.web.auth import may_manage_agency

SWEEP_SECONDS = 15


def agency_of_room(room: str) -> int | None:
    prefix = publishing.agency_room(0)[:-1]  # "agency:"
    if room.startswith(prefix) and room[len(prefix) :].isdigit():
        return int(room[len(prefix) :])
    return None


def revoked_sockets(session: Session, sockets: dict[str, tuple[int, int, list[str]]]) -> list[str]:
    """The sids (of ``{sid: (user id, session generation, rooms)}``) whose user may no longer
    hold them."""
    ids = {user_id for user_id, _generation, _rooms in sockets.values()}
    users = {
        user.id: user
        for user in session.execute(select(StaffUser).where(StaffUser.id.in_(ids))).scalars()
    }
    revoked = []
    for sid, (user_id, generation, rooms) in sockets.items():
        user = users.get(user_id)
        agencies = {agency_of_room(room) for room in rooms} - {None}
        if (
            user is None
            or not user.active
            or user.session_generation != generation
            or not all(may_manage_agency(user, agency, session) for agency in agencies)
        ):
            revoked.append(sid)
    return revoked
