"""Offline sites: a site running on its own machine sends its days to the central installation.

- ``signing``: the site's Ed25519 key (kept in the instance folder) and the signed file format;
- ``payload``: what travels (visits, tickets, log rows, survey answers; never personal data);
- ``export``: one site's days out of the offline database;
- ``importing``: into the central database, idempotent and in committed chunks;
- ``push``: the same files over HTTP (``POST /api/sites/<slug>/sync``, ``views``).

docs/deployment.md, "Offline sites", tells the story for the IT officer.
"""
