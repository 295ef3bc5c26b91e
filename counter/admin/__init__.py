"""Administration: mall settings, agencies, services, counters, staff, kiosks, displays."""


def register() -> None:
    """Import the entity modules (each registers itself and its routes) and the generic views."""
    from counter.admin import (  # noqa: F401
        agencies,
        counters,
        displays,
        kiosks,
        mall,
        services,
        staff,
        views,
    )
