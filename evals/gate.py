"""``koc eval gate RUN``: fail (non-zero exit) when a metric of a run is below its threshold.

Thresholds live in ``evals/thresholds.yaml``: ``min`` (scores that must not fall below) and
``max`` (rates and times that must not rise above) for the whole run, and the same per set under
``sets: {name: {min, max}}``. A metric the run did not measure (a set that is not in the run, no
personal case) is reported as skipped, never as passed silently; an unknown metric name is an
error, so a typo cannot switch a check off.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from evals.summary import HIGHER_IS_BETTER

DEFAULT_THRESHOLDS = Path(__file__).resolve().parent / "thresholds.yaml"


class ThresholdsError(ValueError):
    """A thresholds file that does not say what it means."""


@dataclass(frozen=True)
class Check:
    scope: str  # "run" or "set <name>"
    metric: str
    bound: str  # "min" or "max"
    threshold: float
    value: float | None

    @property
    def passed(self) -> bool | None:
        if self.value is None:
            return None
        return self.value >= self.threshold if self.bound == "min" else self.value <= self.threshold

    def describe(self) -> str:
        op = "≥" if self.bound == "min" else "≤"
        shown = "not measured" if self.value is None else f"{self.value:.4g}"
        return f"{self.scope}: {self.metric} = {shown} (needs {op} {self.threshold:g})"


def _bounds(block: Any, where: str) -> dict[str, dict[str, float]]:
    if block is None:
        return {}
    if not isinstance(block, dict) or set(block) - {"min", "max"}:
        raise ThresholdsError(f"{where}: expected only 'min' and 'max' mappings")
    out: dict[str, dict[str, float]] = {}
    for bound in ("min", "max"):
        items = block.get(bound) or {}
        unknown = sorted(set(items) - set(HIGHER_IS_BETTER))
        if unknown:
            raise ThresholdsError(f"{where}.{bound}: unknown metric(s) {unknown}")
        out[bound] = {name: float(v) for name, v in items.items()}
    return out


def load_thresholds(path: Path) -> dict[str, Any]:
    """``{"run": {min, max}, "sets": {name: {min, max}}}`` from a thresholds YAML file."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ThresholdsError(f"{path}: cannot read ({exc})") from exc
    if not isinstance(data, dict) or set(data) - {"min", "max", "sets"}:
        raise ThresholdsError(f"{path}: top-level keys must be min, max and sets")
    return {"run": _bounds({k: data.get(k) for k in ("min", "max")}, str(path)),
            "sets": {name: _bounds(block, f"{path}: sets.{name}") for name, block in (data.get("sets") or {}).items()}}


def checks(summary: dict[str, Any], thresholds: dict[str, Any]) -> list[Check]:
    """Every threshold applied to the run (sets absent from the run give checks without a value)."""
    out = []
    scopes = [("run", summary.get("metrics", {}), thresholds["run"])]
    by_set = summary.get("by_set", {})
    scopes += [(f"set {name}", (by_set.get(name) or {}).get("metrics", {}), bounds)
               for name, bounds in thresholds["sets"].items()]
    for scope, values, bounds in scopes:
        for bound, items in bounds.items():
            out += [Check(scope, metric, bound, threshold, values.get(metric)) for metric, threshold in items.items()]
    return out


def failures(results: list[Check]) -> list[Check]:
    return [c for c in results if c.passed is False]
