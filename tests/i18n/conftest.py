"""The authorization matrix's personas and objects, reused to reach every page."""

from tests.security.conftest import (  # noqa: F401 - fixtures, found by pytest here
    anonymous,
    db,
    personas,
    registered_kiosk,
    staff,
    targets,
)
