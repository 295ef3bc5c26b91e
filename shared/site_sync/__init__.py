"""Offline sites: a site running on its own machine sends its days to the central installation.

- ``signing``: the site's Ed25519 key (kept in the instance folder) and the signed file format;
- ``payload``: what travels (visits, tickets, log rows, survey answers; never personal data);
- ``export``: one site's days out of the offline database;
- ``importing`` and ``chunk``: into the central database, checked first, then idempotent (a
  unique origin per row) and in chunks committed one by one;
- ``errors``: why a file is refused; ``commands``: ``antre site …``;
- ``push`` and ``views``: the same files over HTTP (``POST /api/sites/<slug>/sync``).

docs/deployment.md, "Offline sites", tells the story for the IT officer.
"""
