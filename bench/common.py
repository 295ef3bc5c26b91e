"""Shared by the benchmark scripts: percentiles, a JSON report, the machine it ran on."""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import time


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def summary_ms(seconds: list[float]) -> dict:
    ms = [s * 1000 for s in seconds]
    return {
        "count": len(ms),
        "mean_ms": round(statistics.fmean(ms), 2) if ms else None,
        "p50_ms": round(percentile(ms, 0.50), 2),
        "p95_ms": round(percentile(ms, 0.95), 2),
        "p99_ms": round(percentile(ms, 0.99), 2),
        "max_ms": round(max(ms), 2) if ms else None,
    }


def machine() -> dict:
    return {
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "cpus": os.cpu_count(),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
    }


def report(result: dict) -> None:
    print(json.dumps({"machine": machine(), **result}, indent=2))
