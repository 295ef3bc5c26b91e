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


# What a Schema Object may hold (JSON Schema 2020-12 as OpenAPI 3.1 uses it).
SCHEMA_KEYS = {
    "type", "properties", "required", "items", "enum", "const", "format", "pattern",
    "minimum", "maximum", "minLength", "maxLength", "default", "description", "examples",
    "example", "oneOf", "allOf", "anyOf", "additionalProperties", "$ref", "title", "nullable",
}  # fmt: skip


def _schemas(node, found):
    """Every Schema Object in the document (under schemas, schema, properties, items, …)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("schema", "items", "additionalProperties") and isinstance(value, dict):
                found.append(value)
            elif key in ("schemas", "properties") and isinstance(value, dict):
                found.extend(v for v in value.values() if isinstance(v, dict))
            elif key in ("oneOf", "allOf", "anyOf"):
                found.extend(v for v in value if isinstance(v, dict))
            _schemas(value, found)
    elif isinstance(node, list):
        for item in node:
            _schemas(item, found)
    return found


def _nulls(node, where="") -> list[str]:
    if isinstance(node, dict):
        return [
            hit
            for key, value in node.items()
            for hit in ([f"{where}/{key}"] if value is None else _nulls(value, f"{where}/{key}"))
        ]
    if isinstance(node, list):
        return [hit for i, item in enumerate(node) for hit in _nulls(item, f"{where}/{i}")]
    return []


def test_no_yaml_slip_makes_a_null_or_a_junk_key():
    """A description with an unquoted ": " became a key with a null value."""
    spec = _spec()
    nulls = [n for n in _nulls(spec) if "/enum/" not in n]  # null in an enum is meant
    assert nulls == []
    junk = sorted({key for schema in _schemas(spec, []) for key in set(schema) - SCHEMA_KEYS})
    assert junk == []


def test_every_operation_says_who_may_call_it():
    spec = _spec()
    schemes = spec["components"]["securitySchemes"]
    assert {"staffSession", "kioskToken", "kioskCookie"} <= set(schemes)
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            assert "security" in operation, f"{method} {path}"
            named = {name for requirement in operation["security"] for name in requirement}
            assert named <= set(schemes), f"{method} {path}"
            if path.startswith("/counter/api/"):
                assert named == {"staffSession"}, f"{method} {path}"
