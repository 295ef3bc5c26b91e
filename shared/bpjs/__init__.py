"""BPJS Antrean Online, the hospital → BPJS side (docs/bpjs.md)."""
