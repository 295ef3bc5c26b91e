"""Small builders for what a test needs: a site, an agency, a service, a counter, a user."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from shared.accounts import create_user
from shared.demo_data import ALL_DAY, MALL
from shared.models import Agency, Counter, PriorityGroup, Service, Site, StaffUser

_seq = itertools.count(1)


def mpp_counters() -> Select:
    """``select(Counter)`` of the demo MPP: the demo's other sites number their rooms from 1 too."""
    return select(Counter).join(Site, Counter.site_id == Site.id).where(Site.slug == MALL["slug"])


PREFIXES = "ABCDEFGHJKLMNPQRSTUVWXYZ"


def _prefix(n: int) -> str:
    """A unique prefix of one to three letters (Service.prefix is at most 3 characters)."""
    letters = ""
    while True:
        n, digit = divmod(n, len(PREFIXES))
        letters = PREFIXES[digit] + letters
        if n == 0:
            return letters


@dataclass
class Factory:
    session: Session
    _mall: Site | None = field(default=None, init=False)

    def mall(self, timezone: str = "Asia/Jakarta", hours: dict | None = None) -> Site:
        """The test's first site (made once), with the priority groups."""
        if self._mall is None:
            self._mall = self.site(timezone=timezone, hours=hours, name="MPP Uji")
            for order, code in enumerate(("lansia", "disabilitas", "ibu_hamil")):
                self.session.add(
                    PriorityGroup(code=code, name_id=code, name_en=code, display_order=order)
                )
            self.session.flush()
        return self._mall

    def site(
        self,
        timezone: str = "Asia/Jakarta",
        hours: dict | None = None,
        *,
        name: str | None = None,
        kind: str = "mpp",
        **fields,
    ) -> Site:
        """Another site (the first one made by :meth:`mall` when a test needs one)."""
        n = next(_seq)
        site = Site(
            slug=fields.pop("slug", f"site-{n}"),
            name=name or f"Site {n}",
            kind=kind,
            timezone=timezone,
            opening_hours=hours or ALL_DAY,
            **fields,
        )
        self.session.add(site)
        self.session.flush()
        return site

    def agency(self, short_name: str | None = None, site: Site | None = None) -> Agency:
        site = site or self.mall()
        n = next(_seq)
        agency = Agency(site=site, name=f"Instansi {n}", short_name=short_name or f"I{n}")
        self.session.add(agency)
        self.session.flush()
        return agency

    def service(self, agency: Agency | None = None, **fields) -> Service:
        agency = agency or self.agency()
        n = next(_seq)
        fields.setdefault("prefix", _prefix(n))
        service = Service(agency=agency, code=f"S{n}", name=f"Layanan {n}", **fields)
        self.session.add(service)
        self.session.flush()
        return service

    def counter(self, services: list[Service], status: str = Counter.OPEN, **fields) -> Counter:
        n = next(_seq)
        counter = Counter(
            agency=services[0].agency,
            number=n,
            name=f"Loket {n}",
            services=services,
            status=status,
            **fields,
        )
        self.session.add(counter)
        self.session.flush()
        return counter

    def user(self, role: str = StaffUser.CLERK, agency: Agency | None = None, **kw) -> StaffUser:
        n = next(_seq)
        agency_id = None if role == StaffUser.ADMIN else (agency or self.agency()).id
        return create_user(
            self.session,
            kw.pop("username", f"user{n}"),
            kw.pop("password", "loket-jeruk-42"),
            name=f"Staf {n}",
            role=role,
            agency_id=agency_id,
            site_id=kw.pop("site_id", None),
        )
