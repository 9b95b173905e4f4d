"""Domain errors, each mapped to one HTTP status by the service."""

from __future__ import annotations

from dataclasses import dataclass, field


class LedgerError(Exception):
    """Base class: the message is safe to show to the caller."""

    status_code = 400


class InvalidInput(LedgerError):
    """The request is well-formed but not acceptable (unknown SKU, refund above paid...)."""

    status_code = 422


class NotFound(LedgerError):
    status_code = 404


@dataclass
class RowError:
    row: int  # 1-based data row (CSV: line number of the row, header = line 1)
    error: str
    key: str | None = None  # order_id / refund_id when known


@dataclass
class BatchRejected(LedgerError):
    """A batch had bad rows: nothing was written; every bad row is listed."""

    errors: list[RowError] = field(default_factory=list)
    status_code: int = 422

    def __str__(self) -> str:
        head = "; ".join(f"row {e.row}: {e.error}" for e in self.errors[:5])
        more = f" (+{len(self.errors) - 5} more)" if len(self.errors) > 5 else ""
        return f"batch rejected, nothing written: {head}{more}"
