"""Administration: sites, site settings, agencies, services, counters, staff, kiosks, TVs,
pathways and doctors."""


def register() -> None:
    """Import the entity modules (each registers itself and its routes) and the generic views."""
    from counter.admin import (  # noqa: F401
        agencies,
        booking,
        counters,
        displays,
        doctors,
        kiosks,
        logos,
        mall,
        outbox,
        pathways,
        services,
        sites,
        staff,
        views,
        webhooks,
    )
