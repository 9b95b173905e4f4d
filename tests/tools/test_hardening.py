"""Refusing nonsense: future settlements, re-imported orders with other contents, impossible refunds,
early competition closes, and client errors that must be a 4xx with a JSON body (never a 500)."""

from __future__ import annotations

import json
import logging
from datetime import UTC, date, datetime

import httpx
import pytest
from typer.testing import CliRunner

from tools.errors import BatchRejected, InvalidInput
from tools.ledger import import_orders, import_refunds, month_of, settle
from tools.limits import MAX_BODY, MAX_BULK_BODY

from .conftest import add_koc, at, ledger_rows, order, refund
from .test_service import KOC1, http, live_server, service  # noqa: F401  (fixtures)


def _hq(service):  # noqa: F811
    return {"Authorization": f"Bearer {service[1]}"}


# ---------------------------------------------------------------- 1. settlement
def test_settlement_dated_after_today_is_refused(engine, policy):
    add_koc(engine, policy, 1)
    import_orders(engine, policy, [order("F1", 1, paid="2026-03-02")])
    with pytest.raises(InvalidInput, match="after today"):
        settle(engine, policy, date(2099, 1, 10))
    with pytest.raises(InvalidInput, match="after today"):
        settle(engine, policy, date(2026, 4, 10), today=date(2026, 4, 9))
    assert all(r["settled_on"] is None for r in ledger_rows(engine))
    assert settle(engine, policy, date(2026, 4, 10), today=date(2026, 4, 10)).entries == 1


def test_settlement_never_pays_commission_still_frozen(engine, policy):
    add_koc(engine, policy, 1)
    import_orders(engine, policy, [order("Z1", 1, paid="2026-03-10"),   # freeze ends 03-25: settled 04-10
                                   order("Z2", 1, paid="2026-03-31"),   # freeze ends 04-15: after the settlement date
                                   order("Z3", 1, paid="2026-04-01")])  # freeze ends 04-16
    rep = settle(engine, policy, date(2026, 4, 10), today=date(2026, 4, 10))
    assert rep.entries == 1
    settled = {r["order_id"]: r for r in ledger_rows(engine) if r["settled_on"] is not None}
    assert set(settled) == {"Z1"}
    for r in settled.values():
        available = r["available_at"].replace(tzinfo=UTC) if r["available_at"].tzinfo is None else r["available_at"]
        assert available <= datetime(2026, 4, 10, tzinfo=UTC)


def test_settlement_in_the_future_over_http_is_422(service, http):  # noqa: F811
    response = http.post("/v1/settlements?on=2099-01-10", headers=_hq(service))
    assert response.status_code == 422
    assert "after today" in response.json()["detail"]
    assert http.post("/v1/settlements?on=2026-04-10", headers=_hq(service)).status_code == 200


# ---------------------------------------------------------------- 2. re-imported orders
def test_reimport_with_other_contents_is_a_conflict(engine, policy):
    add_koc(engine, policy, 1)
    add_koc(engine, policy, 2)
    import_orders(engine, policy, [order("R1", 1, quantity=1, paid="2026-03-02")])
    again = import_orders(engine, policy, [order("R1", 1, quantity=1, paid="2026-03-02")])
    assert (again.inserted, again.duplicates) == (0, 1)  # identical re-send: idempotent duplicate
    with pytest.raises(BatchRejected) as err:
        import_orders(engine, policy, [order("R9", 1, paid="2026-03-02"),
                                       order("R1", 2, quantity=3, paid="2026-03-03")])
    assert err.value.status_code == 409
    assert "koc_id, quantity, amount_cents, paid_at" in str(err.value) and err.value.errors[0].row == 2
    assert {r["order_id"] for r in ledger_rows(engine)} == {"R1"}  # nothing of the batch was written


def test_reimport_conflict_over_http_is_409(service, http):  # noqa: F811
    response = http.post("/v1/orders", headers=_hq(service),
                         json={"order_id": "o1", "koc_id": 1, "sku": "NH-SKN-01", "quantity": 2, "paid_at": "2026-03-02T12:00:00Z"})
    assert response.status_code == 409
    assert "quantity" in response.json()["detail"] and response.json()["errors"][0]["key"] == "o1"
    same = http.post("/v1/orders", headers=_hq(service),
                     json={"order_id": "o1", "koc_id": 1, "sku": "NH-SKN-01", "quantity": 1, "paid_at": "2026-03-02T12:00:00Z"})
    assert same.status_code == 200 and same.json()["duplicates"] == 1
    bulk = http.post("/v1/orders/bulk", headers={**_hq(service), "Content-Type": "text/csv"},
                     content="order_id,koc_id,sku,quantity,paid_at\no2,2,NH-GFT-01,1,2026-03-05T12:00:00Z\n")
    assert bulk.status_code == 409 and "paid_at" in bulk.json()["detail"]


def test_cli_reimport_conflict_fails(koc_home, tmp_path):
    from base.settings import get_settings
    from tools.db import open_engine
    from tools.ledger import sync_products
    from tools.policy import load_policy
    from ui.cli import app

    settings = get_settings()
    engine, policy = open_engine(settings), load_policy(settings.policy)
    sync_products(engine, policy)
    add_koc(engine, policy, 1)
    first = tmp_path / "a.csv"
    first.write_text("order_id,koc_id,sku,quantity,paid_at\nc1,1,NH-SKN-01,1,2026-03-01T08:00:00Z\n", encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(app, ["ledger", "import-orders", str(first)]).exit_code == 0
    assert "1 already present" in runner.invoke(app, ["ledger", "import-orders", str(first)]).output
    other = tmp_path / "b.csv"
    other.write_text("order_id,koc_id,sku,quantity,paid_at\nc1,1,NH-SKN-01,4,2026-03-01T08:00:00Z\n", encoding="utf-8")
    result = runner.invoke(app, ["ledger", "import-orders", str(other)])
    assert result.exit_code == 1
    assert "already imported with different quantity, amount_cents" in result.output


# ---------------------------------------------------------------- 3. refunds
def test_refund_before_payment_or_above_paid_is_rejected(engine, policy):
    add_koc(engine, policy, 1)
    import_orders(engine, policy, [order("P1", 1, "NH-SKN-01", paid="2026-03-05")])  # 8900 cents
    with pytest.raises(BatchRejected, match="before order 'P1' was paid") as err:
        import_refunds(engine, [refund("PR0", "P1", 100, when="2026-03-04")])
    assert err.value.status_code == 422
    import_refunds(engine, [refund("PR1", "P1", 8000, when="2026-03-06")])
    with pytest.raises(BatchRejected, match="exceed the paid amount") as err:
        import_refunds(engine, [refund("PR2", "P1", 901, when="2026-03-07")])  # 8000 already refunded
    assert err.value.status_code == 422
    assert import_refunds(engine, [refund("PR3", "P1", 900, when="2026-03-07")]).inserted == 1


def test_refund_before_payment_over_http_is_422(service, http):  # noqa: F811
    response = http.post("/v1/refunds", headers=_hq(service),
                         json={"refund_id": "x1", "order_id": "o1", "amount_cents": 100, "refunded_at": "2026-03-01T00:00:00Z"})
    assert response.status_code == 422 and "before order 'o1' was paid" in response.json()["detail"]


# ---------------------------------------------------------------- 4. competitions
def test_closing_an_unfinished_month_needs_force(engine, policy, caplog):
    from tools.competitions import close_competition

    add_koc(engine, policy, 1)
    with pytest.raises(InvalidInput, match="has not ended"):
        close_competition(engine, policy, "2026-03", now=at("2026-03-31", 23))
    with caplog.at_level(logging.WARNING, logger="tools.competitions"):
        close_competition(engine, policy, "2026-03", force=True, now=at("2026-03-31", 23))
    assert any("closed early" in r.getMessage() and r.levelno == logging.WARNING for r in caplog.records)
    caplog.clear()
    close_competition(engine, policy, "2026-02", now=at("2026-03-01", 0))  # ended: no force, no warning
    assert not [r for r in caplog.records if "closed early" in r.getMessage()]


def test_closing_this_month_over_http_and_cli(service, http, koc_home, caplog):  # noqa: F811
    this_month = month_of(datetime.now(UTC))
    response = http.post(f"/v1/competitions/{this_month}/close", headers=_hq(service))
    assert response.status_code == 422 and "has not ended" in response.json()["detail"]
    with caplog.at_level(logging.WARNING, logger="tools.competitions"):
        response = http.post(f"/v1/competitions/{this_month}/close?force=true", headers=_hq(service))
    assert response.status_code == 200 and response.json()["forced"] is True
    assert any("closed early" in r.getMessage() for r in caplog.records)
    assert http.post("/v1/competitions/2026-03/close", headers=_hq(service)).status_code == 200

    from ui.cli import app

    runner = CliRunner()
    result = runner.invoke(app, ["ledger", "close-competition", this_month])
    assert result.exit_code == 1 and "has not ended" in result.output
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="tools.competitions"):
        result = runner.invoke(app, ["ledger", "close-competition", this_month, "--force"])
    assert result.exit_code == 0, result.output
    assert any("closed early" in r.getMessage() for r in caplog.records)


# ---------------------------------------------------------------- 5. client errors
GBK_KOC = json.dumps({"name": "小红", "kind": "private"}, ensure_ascii=False).encode("gbk")
GBK_ORDERS = json.dumps([{"order_id": "g1", "koc_id": 1, "sku": "NH-SKN-01", "quantity": 1,
                          "paid_at": "2026-03-02T00:00:00Z", "code": "小红"}], ensure_ascii=False).encode("gbk")
NESTED = b"[" * 10_000 + b"]" * 10_000

BAD_REQUESTS = [
    ("POST", "/v1/kocs", GBK_KOC, "application/json"),
    ("POST", "/v1/orders", GBK_ORDERS[1:-1], "application/json"),
    ("POST", "/v1/orders/bulk", GBK_ORDERS, "application/json"),
    ("POST", "/v1/refunds/bulk", GBK_ORDERS, "application/json"),
    ("POST", "/v1/orders/bulk", "order_id,koc_id,sku,quantity,paid_at\nä,1,NH-SKN-01,1,2026-03-02\n".encode("latin-1"), "text/csv"),
    ("POST", "/v1/kocs", NESTED, "application/json"),
    ("POST", "/v1/orders", NESTED, "application/json"),
    ("POST", "/v1/orders/bulk", NESTED, "application/json"),
    ("POST", "/v1/refunds/bulk", NESTED, "application/json"),
    ("POST", "/v1/kocs", b'{"name": ', "application/json"),
    ("POST", "/v1/orders", b"{bad", "application/json"),
    ("POST", "/v1/orders/bulk", b"[{]", "application/json"),
    ("GET", "/v1/kocs/²", None, None),
    ("GET", "/v1/kocs/²/earnings", None, None),
    ("GET", "/v1/kocs/١/earnings", None, None),
    ("POST", "/v1/kocs/²/token", None, None),
    ("PUT", "/v1/kocs/²/activity", b"{}", "application/json"),
    ("POST", "/v1/trials/²/review", b"{}", "application/json"),
]


@pytest.mark.parametrize("method, path, body, kind", BAD_REQUESTS)
def test_client_errors_are_4xx_with_json(service, http, method, path, body, kind):  # noqa: F811
    headers = _hq(service) | ({"Content-Type": kind} if kind else {})
    response = http.request(method, path, content=body, headers=headers)
    assert 400 <= response.status_code < 500, (path, response.status_code, response.text[:300])
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["detail"]


def test_koc_token_with_odd_digit_id_gets_403(service, http):  # noqa: F811
    response = http.get("/v1/kocs/²/earnings", headers={"Authorization": f"Bearer {KOC1}"})
    assert response.status_code == 403 and response.json() == {"detail": "forbidden"}


def test_request_bodies_have_a_size_limit(service, http):  # noqa: F811
    big = b"x" * (MAX_BODY + 1)
    response = http.post("/v1/kocs", content=big, headers=_hq(service) | {"Content-Type": "application/json"})
    assert response.status_code == 413 and "too large" in response.json()["detail"]
    huge = b" " * (MAX_BULK_BODY + 1)
    response = http.post("/v1/orders/bulk", content=huge, headers=_hq(service) | {"Content-Type": "application/json"})
    assert response.status_code == 413 and str(MAX_BULK_BODY) in response.json()["detail"]
    # a bulk body above the single-record limit but within the bulk limit is accepted
    rows = "".join(f"b{i},1,NH-SKN-01,1,2026-03-02T00:00:00Z\n" for i in range(MAX_BODY // 30))
    response = http.post("/v1/orders/bulk", content="order_id,koc_id,sku,quantity,paid_at\n" + rows,
                         headers=_hq(service) | {"Content-Type": "text/csv"})
    assert response.status_code == 200, response.text[:300]


def test_body_limit_on_a_real_server(live_server):  # noqa: F811
    url, hq = live_server
    headers = {"Authorization": f"Bearer {hq}", "Content-Type": "application/json"}

    def chunks():  # no Content-Length: the limit must hold on the bytes actually received
        for _ in range(MAX_BULK_BODY // 65536 + 2):
            yield b" " * 65536

    with httpx.Client(base_url=url, timeout=30) as client:
        response = client.post("/v1/orders/bulk", content=chunks(), headers=headers)
        assert response.status_code == 413 and "too large" in response.json()["detail"]
        response = client.post("/v1/kocs", content=b"[" * (MAX_BODY + 10), headers=headers)
        assert response.status_code == 413
        response = client.post("/v1/orders/bulk", content=NESTED, headers=headers)
        assert response.status_code == 422 and "nested too deeply" in response.json()["detail"]
        response = client.get("/v1/kocs/²/earnings", headers=headers)
        assert response.status_code == 422 and response.json()["detail"]
