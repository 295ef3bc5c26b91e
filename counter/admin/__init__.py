"""Administration: sites, site settings, agencies, services, counters, staff, kiosks, TVs."""


def register() -> None:
    """Import the entity modules (each registers itself and its routes) and the generic views."""
    from counter.admin import (  # noqa: F401
        agencies,
        booking,
        counters,
        displays,
        kiosks,
        logos,
        mall,
        outbox,
        services,
        sites,
        staff,
        views,
        webhooks,
    )
