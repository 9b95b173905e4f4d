"""Input records for imports (orders, refunds) and their CSV/JSON parsing.

Parsing only checks shape (types, ranges, required fields); whether an order's KOC and SKU exist
is checked by ``tools.ledger`` against the database. Every problem is reported per row so a
batch can be fixed in one pass.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Iterable

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from tools.errors import BatchRejected, RowError

_ID = r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$"


def _aware(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class OrderIn(BaseModel):
    """One attributed order. Give ``koc_id`` or the KOC's link/coupon ``code``; ``amount_cents``
    defaults to price × quantity."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    order_id: str = Field(pattern=_ID)
    koc_id: int | None = Field(None, ge=1)
    code: str | None = Field(None, min_length=1, max_length=64, description="exclusive link or coupon code")
    sku: str = Field(min_length=1, max_length=32)
    quantity: int = Field(ge=1, le=10_000)
    amount_cents: int | None = Field(None, ge=1, le=10_000_000_00)
    paid_at: datetime

    @field_validator("paid_at")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        return _aware(value)

    @model_validator(mode="after")
    def _attributed(self) -> "OrderIn":
        if self.koc_id is None and not self.code:
            raise ValueError("order needs koc_id or an exclusive link/coupon code")
        return self


class RefundIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    refund_id: str = Field(pattern=_ID)
    order_id: str = Field(pattern=_ID)
    amount_cents: int = Field(ge=1, le=10_000_000_00)
    refunded_at: datetime

    @field_validator("refunded_at")
    @classmethod
    def _utc(cls, value: datetime) -> datetime:
        return _aware(value)


def _message(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        loc = ".".join(str(x) for x in err["loc"])
        msg = err["msg"].removeprefix("Value error, ")
        parts.append(f"{loc}: {msg}" if loc else msg)
    return "; ".join(parts)


def validate_rows(model: type[BaseModel], rows: Iterable[tuple[int, Any]], key_field: str) -> tuple[list[tuple[int, Any]], list[RowError]]:
    """Validate (row number, raw dict) pairs into (good (row, record) pairs, per-row errors)."""
    good: list[tuple[int, Any]] = []
    errors: list[RowError] = []
    for number, raw in rows:
        if not isinstance(raw, dict):
            errors.append(RowError(number, "row must be an object"))
            continue
        key = raw.get(key_field)
        try:
            good.append((number, model.model_validate(raw)))
        except ValidationError as exc:
            errors.append(RowError(number, _message(exc), str(key) if key else None))
    return good, errors


def _clean_csv_row(raw: dict[str | None, Any]) -> dict[str, Any]:
    if None in raw:
        raise ValueError("more fields than the header")
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if value is None:
            raise ValueError("fewer fields than the header")
        value = value.strip()
        if value != "":
            out[key.strip()] = value
    return out


def parse_csv(text: str, model: type[BaseModel], required: set[str], key_field: str) -> tuple[list[tuple[int, Any]], list[RowError]]:
    """Parse CSV text (header row required); row numbers are CSV line numbers (header = 1)."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = {h.strip() for h in (reader.fieldnames or [])}
    missing = required - header
    if not reader.fieldnames or missing:
        raise BatchRejected([RowError(1, f"CSV header is missing columns: {', '.join(sorted(missing)) or 'all'}")])
    unknown = header - set(model.model_fields)
    if unknown:
        raise BatchRejected([RowError(1, f"CSV header has unknown columns: {', '.join(sorted(unknown))}")])
    rows: list[tuple[int, Any]] = []
    errors: list[RowError] = []
    try:
        for raw in reader:
            line = reader.line_num
            try:
                rows.append((line, _clean_csv_row(raw)))
            except ValueError as exc:
                errors.append(RowError(line, str(exc)))
    except csv.Error as exc:
        errors.append(RowError(reader.line_num, f"malformed CSV: {exc}"))
    if not rows and not errors:
        raise BatchRejected([RowError(1, "CSV has no data rows")])
    good, bad = validate_rows(model, rows, key_field)
    return good, sorted(errors + bad, key=lambda e: e.row)


def parse_json(text: str | bytes, model: type[BaseModel], key_field: str) -> tuple[list[tuple[int, Any]], list[RowError]]:
    """Parse a JSON array (or {"items": [...]}); row numbers are 1-based array positions."""
    try:
        data = json.loads(_decode(text))
    except json.JSONDecodeError as exc:
        raise BatchRejected([RowError(0, f"malformed JSON: {exc}")]) from exc
    except RecursionError as exc:
        raise BatchRejected([RowError(0, "malformed JSON: nested too deeply")]) from exc
    if isinstance(data, dict) and isinstance(data.get("items"), list):
        data = data["items"]
    if not isinstance(data, list) or not data:
        raise BatchRejected([RowError(0, "expected a non-empty JSON array of records")])
    return validate_rows(model, enumerate(data, start=1), key_field)


@dataclass
class Parsed:
    """Records that passed the shape checks, their row numbers, and the rows that did not."""

    records: list
    rows: list[int]
    errors: list[RowError]

    def strict(self) -> list:
        if self.errors:
            raise BatchRejected(self.errors)
        return self.records


ORDER_CSV_REQUIRED = {"order_id", "sku", "quantity", "paid_at"}
REFUND_CSV_REQUIRED = {"refund_id", "order_id", "amount_cents", "refunded_at"}


def _decode(text: str | bytes) -> str:
    if isinstance(text, bytes):
        try:
            return text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise BatchRejected([RowError(0, "the file is not UTF-8 text")]) from exc
    return text


def _parse_lenient(text: str | bytes, fmt: str, model, required, key: str) -> Parsed:
    if fmt == "csv":
        good, errors = parse_csv(_decode(text), model, required, key)
    else:
        good, errors = parse_json(text, model, key)
    return Parsed([r for _, r in good], [n for n, _ in good], errors)


def parse_orders_lenient(text: str | bytes, fmt: str) -> Parsed:
    return _parse_lenient(text, fmt, OrderIn, ORDER_CSV_REQUIRED, "order_id")


def parse_refunds_lenient(text: str | bytes, fmt: str) -> Parsed:
    return _parse_lenient(text, fmt, RefundIn, REFUND_CSV_REQUIRED, "refund_id")


def parse_orders(text: str | bytes, fmt: str) -> list[OrderIn]:
    """Validated orders, or BatchRejected listing every malformed row."""
    return parse_orders_lenient(text, fmt).strict()


def parse_refunds(text: str | bytes, fmt: str) -> list[RefundIn]:
    return parse_refunds_lenient(text, fmt).strict()
