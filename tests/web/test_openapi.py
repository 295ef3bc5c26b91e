"""docs/openapi.yaml is valid OpenAPI 3.1 and documents every JSON endpoint the apps serve."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from openapi_spec_validator import validate

SPEC = Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"


def _spec() -> dict:
    return yaml.safe_load(SPEC.read_text())


def test_the_document_is_valid_openapi_3_1():
    spec = _spec()
    assert spec["openapi"].startswith("3.1")
    validate(spec)


def _flask_to_openapi(rule: str) -> str:
    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule)


def test_every_api_route_is_documented(app):
    documented = set(_spec()["paths"])
    served = {
        _flask_to_openapi(rule.rule)
        for rule in app.url_map.iter_rules()
        if "/api/" in rule.rule or rule.rule.endswith(".json")
    }
    missing = sorted(served - documented)
    assert missing == [], f"undocumented API routes: {missing}"
    stale = sorted(p for p in documented - served if "/api/" in p or p.endswith(".json"))
    assert stale == [], f"documented but not served: {stale}"
