"""Socket.IO namespace /kiosk: a kiosk joins its agencies' rooms and the mall room.

The server then sends ``queue.changed`` (per agency) and ``config.changed`` (mall); see
docs/events.md. Who may listen is decided here, from the kiosk's token, never by the client.
"""

from __future__ import annotations

from flask import current_app, request
from flask import session as browser_session
from flask_socketio import Namespace, join_room

from kiosk.identity import COOKIE, DEMO_SITE, UnknownKiosk, agency_ids, find_kiosk
from shared import events
from shared.models import Kiosk
from shared.queue import publishing
from shared.web.database import get_session


class KioskNamespace(Namespace):
    def __init__(self, namespace: str = publishing.KIOSK) -> None:
        super().__init__(namespace)
        self.kiosks: dict[str, int] = {}  # sid -> kiosk id

    def on_connect(self, auth=None):
        token = (auth or {}).get("token") if isinstance(auth, dict) else None
        token = token or request.cookies.get(COOKIE)
        try:
            kiosk = find_kiosk(
                get_session(),
                token,
                current_app.config["ANTRE"].demo,
                browser_session.get(DEMO_SITE),
            )
        except UnknownKiosk:
            return False  # refuse the connection
        self.kiosks[request.sid] = kiosk.id
        return True

    def on_disconnect(self, reason=None):
        self.kiosks.pop(request.sid, None)

    def on_join(self, _data=None, *_more):
        """Join the rooms this kiosk may hear; answer with each room's last sequence number."""
        kiosk_id = self.kiosks.get(request.sid)
        session = get_session()
        kiosk = session.get(Kiosk, kiosk_id) if kiosk_id else None
        if kiosk is None or not kiosk.active:
            return {"error": "unknown_kiosk"}
        rooms = [publishing.site_room(kiosk.site_id)] + [
            publishing.agency_room(i) for i in agency_ids(session, kiosk)
        ]
        for room in rooms:
            join_room(room)
        return {"rooms": rooms, "seqs": events.room_seqs(session, publishing.KIOSK, rooms)}
