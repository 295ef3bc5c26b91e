"""The web service Mobile JKN (BPJS Kesehatan) calls at a hospital: WS Antrean RS, inbound.

Domain rules only (verb_noun, a session, flush, never commit); the HTTP side is the ``mobilejkn``
package. Answers use BPJS's own field names; refusals carry BPJS-style Indonesian messages, which
are part of the protocol (Mobile JKN shows them as they are), so they are not translated.
"""
