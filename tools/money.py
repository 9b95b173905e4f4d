"""Money helpers: integer cents in, integer cents out, one rounding rule.

Floats never touch money: rates are ``Decimal`` and every product of amount × rate is rounded
half up to the nearest 分 exactly once, so the same inputs always give the same cents.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any


def round_cents(value: Decimal) -> int:
    """Round a Decimal amount of cents to an integer, half up (away from zero for .5)."""
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def apply_rate(amount_cents: int, rate: Decimal) -> int:
    """``amount × rate`` in cents, rounded half up."""
    return round_cents(Decimal(amount_cents) * rate)


def yuan(cents: int) -> str:
    """Display string for cents, e.g. 123456 -> "¥1,234.56", -5 -> "-¥0.05"."""
    sign = "-" if cents < 0 else ""
    whole, frac = divmod(abs(int(cents)), 100)
    return f"{sign}¥{whole:,}.{frac:02d}"


def percent(rate: Decimal) -> str:
    """A rate as a short percentage string: Decimal("0.198") -> "19.8%"."""
    text = format((rate * 100).normalize(), "f")
    return f"{text}%"


def add_display(data: Any) -> Any:
    """Recursively add a yuan display string next to every ``*_cents`` integer.

    ``{"amount_cents": 12345}`` becomes ``{"amount_cents": 12345, "amount": "¥123.45"}`` so tool
    results carry both the exact number and a string any language template can show.
    """
    if isinstance(data, dict):
        out: dict[str, Any] = {}
        for key, value in data.items():
            out[key] = add_display(value)
            if isinstance(key, str) and key.endswith("_cents") and isinstance(value, int) and not isinstance(value, bool):
                display_key = key[: -len("_cents")]
                if display_key not in data:
                    out[display_key] = yuan(value)
        return out
    if isinstance(data, list):
        return [add_display(item) for item in data]
    return data
