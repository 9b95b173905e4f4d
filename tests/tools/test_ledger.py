"""Ledger behaviour on SQLite and PostgreSQL: imports, idempotency, refunds, settlement, earnings."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from tools.errors import BatchRejected, InvalidInput
from tools.ledger import LEDGER, ORDERS, REFUNDS, import_orders, import_refunds, settle
from tools.records import OrderIn, parse_orders, parse_refunds
from tools.reports import earnings_summary

from .conftest import add_koc, at, ledger_rows, order, refund


def count(engine, table) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def test_import_writes_commission_for_both_levels(engine, policy):
    add_koc(engine, policy, 1, kind="external")
    add_koc(engine, policy, 2, kind="external", recruiter_id=1)
    add_koc(engine, policy, 3, kind="private", tier="bloom")
    rep = import_orders(engine, policy, [order("A1", 2, "NH-SKN-02"), order("A2", 3, "NH-SUN-01", quantity=2)])
    assert (rep.inserted, rep.duplicates, rep.commission_rows) == (2, 0, 3)
    rows = {(r["order_id"], r["koc_id"], r["level"]): r["amount_cents"] for r in ledger_rows(engine)}
    assert rows == {("A1", 2, 1): 1908, ("A1", 1, 2): 477, ("A2", 3, 1): 5504}  # 27800 × 19.8 % = 5504.4


def test_reimport_is_idempotent(engine, policy):
    add_koc(engine, policy, 1)
    batch = [order(f"O{i}", 1) for i in range(50)]
    assert import_orders(engine, policy, batch).inserted == 50
    again = import_orders(engine, policy, batch + [order("O50", 1)])
    assert (again.inserted, again.duplicates, again.commission_rows) == (1, 50, 1)
    assert count(engine, ORDERS) == 51 and count(engine, LEDGER) == 51


def test_attribution_by_coupon_or_link_code(engine, policy):
    add_koc(engine, policy, 7)
    rep = import_orders(engine, policy, [
        OrderIn(order_id="C1", code="C000007", sku="NH-BAB-01", quantity=1, paid_at=at("2026-03-01")),
        OrderIn(order_id="C2", code="L000007", sku="NH-BAB-01", quantity=1, paid_at=at("2026-03-01")),
    ])
    assert rep.inserted == 2
    assert {r["koc_id"] for r in ledger_rows(engine)} == {7}


@pytest.mark.parametrize("bad, message", [
    ({"sku": "NH-XXX-99"}, "unknown SKU"),
    ({"koc_id": 999}, "unknown KOC id 999"),
])
def test_bad_row_rejects_the_whole_batch(engine, policy, bad, message):
    add_koc(engine, policy, 1)
    rows = [order("G1", 1), order("G2", 1), OrderIn(**{**order("B1", 1).model_dump(), **bad}), order("G3", 1)]
    with pytest.raises(BatchRejected) as err:
        import_orders(engine, policy, rows)
    assert [(e.row, e.key) for e in err.value.errors] == [(3, "B1")]
    assert message in err.value.errors[0].error
    assert count(engine, ORDERS) == 0 and count(engine, LEDGER) == 0


def test_conflicting_duplicate_in_one_batch_is_an_error(engine, policy):
    add_koc(engine, policy, 1)
    with pytest.raises(BatchRejected, match="twice with different contents"):
        import_orders(engine, policy, [order("D1", 1, quantity=1), order("D1", 1, quantity=2)])
    rep = import_orders(engine, policy, [order("D1", 1), order("D1", 1)])  # identical duplicates collapse
    assert (rep.inserted, rep.duplicates) == (1, 1)


def test_csv_rows_are_validated_and_reported_per_row(engine, policy):
    text = ("order_id,koc_id,sku,quantity,paid_at\n"
            "X1,1,NH-SKN-01,1,2026-03-01T10:00:00\n"
            "X2,1,NH-SKN-01,-2,2026-03-01T10:00:00\n"
            "X3,1,NH-SKN-01,1,not-a-date\n"
            "X4,1,NH-SKN-01\n")
    with pytest.raises(BatchRejected) as err:
        parse_orders(text, "csv")
    rows = {e.row: e.error for e in err.value.errors}
    assert set(rows) == {3, 4, 5}
    assert "quantity" in rows[3] and "greater than or equal to 1" in rows[3]
    assert "paid_at" in rows[4] and "fewer fields" in rows[5]
    with pytest.raises(BatchRejected, match="missing columns: paid_at"):
        parse_orders("order_id,koc_id,sku,quantity\nX1,1,NH-SKN-01,1\n", "csv")
    with pytest.raises(BatchRejected, match="malformed JSON"):
        parse_orders("[{", "json")
    with pytest.raises(BatchRejected, match="needs koc_id or"):
        parse_orders('[{"order_id": "Z", "sku": "NH-SKN-01", "quantity": 1, "paid_at": "2026-03-01T00:00:00Z"}]', "json")


def test_full_refund_reverses_both_levels_exactly(engine, policy):
    add_koc(engine, policy, 1, kind="external")
    add_koc(engine, policy, 2, kind="external", recruiter_id=1)
    import_orders(engine, policy, [order("R1", 2, "NH-SKN-02")])
    rep = import_refunds(engine, [refund("RF1", "R1", 15900)])
    assert rep.commission_rows == 2
    net = {}
    for r in ledger_rows(engine, order_id="R1"):
        net[r["level"]] = net.get(r["level"], 0) + r["amount_cents"]
    assert net == {1: 0, 2: 0}


def test_partial_refunds_reverse_the_same_proportion(engine, policy):
    add_koc(engine, policy, 1, tier="bloom")
    import_orders(engine, policy, [order("P1", 1, "NH-SKN-01")])  # 8900 × 13.2 % = 1175
    import_refunds(engine, [refund("PR1", "P1", 3333)])
    rev = [r["amount_cents"] for r in ledger_rows(engine, kind="reversal")]
    assert rev == [-440]
    import_refunds(engine, [refund("PR2", "P1", 5567)])  # the rest
    assert sum(r["amount_cents"] for r in ledger_rows(engine, order_id="P1")) == 0


def test_refund_above_paid_amount_is_rejected_and_writes_nothing(engine, policy):
    add_koc(engine, policy, 1)
    import_orders(engine, policy, [order("Q1", 1, "NH-SKN-01")])
    import_refunds(engine, [refund("QR1", "Q1", 8000)])
    with pytest.raises(BatchRejected, match="exceed the paid amount"):
        import_refunds(engine, [refund("QR2", "Q1", 901)])
    with pytest.raises(BatchRejected) as err:  # two refunds in one batch that together exceed
        import_refunds(engine, [refund("QR3", "Q1", 500), refund("QR4", "Q1", 500)])
    assert err.value.errors[0].row == 2
    assert count(engine, REFUNDS) == 1
    with pytest.raises(BatchRejected, match="unknown order"):
        import_refunds(engine, [refund("QR5", "nope", 1)])


def test_refund_reimport_is_idempotent(engine, policy):
    add_koc(engine, policy, 1)
    import_orders(engine, policy, [order("I1", 1)])
    import_refunds(engine, [refund("IR1", "I1", 100)])
    again = import_refunds(engine, [refund("IR1", "I1", 100)])
    assert (again.inserted, again.duplicates) == (0, 1)
    assert len(ledger_rows(engine, kind="reversal")) == 1
    with pytest.raises(BatchRejected, match="already used"):
        import_refunds(engine, [refund("IR1", "I1", 200)])


def test_settlement_respects_freeze_and_claws_back(engine, policy):
    add_koc(engine, policy, 1)
    import_orders(engine, policy, [order("S1", 1, "NH-SKN-01", paid="2026-03-10"),   # freeze ends 03-25: settled 04-10
                                   order("S2", 1, "NH-SKN-01", paid="2026-03-20")])  # freeze ends 04-04: settled 05-10
    with pytest.raises(InvalidInput, match="day 10"):
        settle(engine, policy, date(2026, 4, 11))
    rep = settle(engine, policy, date(2026, 4, 10))
    assert (rep.kocs_paid, rep.total_cents, rep.entries) == (1, 1068, 1)
    assert settle(engine, policy, date(2026, 4, 10)).entries == 0  # re-run: nothing new
    import_refunds(engine, [refund("SR1", "S1", 8900, when="2026-04-20")])  # refund after settlement
    rep = settle(engine, policy, date(2026, 5, 10))
    assert rep.total_cents == 1068 - 1068  # S2 paid, S1 clawed back
    assert rep.entries == 2


def test_negative_settlement_is_carried_forward(engine, policy):
    add_koc(engine, policy, 1)
    import_orders(engine, policy, [order("N1", 1, "NH-GFT-01", paid="2026-03-01")])
    settle(engine, policy, date(2026, 4, 10))
    import_refunds(engine, [refund("NR1", "N1", 39900, when="2026-04-15")])
    rep = settle(engine, policy, date(2026, 5, 10))
    assert (rep.kocs_paid, rep.carried_negative) == (0, 1)
    import_orders(engine, policy, [order("N2", 1, "NH-GFT-01", paid="2026-05-01"), order("N3", 1, "NH-GFT-01", paid="2026-05-02")])
    rep = settle(engine, policy, date(2026, 6, 10))
    assert rep.total_cents == 3192 * 2 - 3192


def test_earnings_summary_by_status_product_and_level(engine, policy):
    add_koc(engine, policy, 1, kind="external")
    add_koc(engine, policy, 2, kind="external", recruiter_id=1)
    import_orders(engine, policy, [
        order("E1", 1, "NH-SKN-01", paid="2026-03-02"),
        order("E2", 1, "NH-SUN-01", paid="2026-03-25"),
        order("E3", 2, "NH-SKN-02", paid="2026-03-03"),
        order("E4", 1, "NH-SKN-01", paid="2026-02-27"),
    ])
    import_refunds(engine, [refund("ER1", "E1", 4450, when="2026-03-06")])
    settle(engine, policy, date(2026, 3, 10))  # nothing of March yet; February order still frozen until 03-14
    with engine.connect() as conn:
        summary = earnings_summary(conn, policy, 1, "2026-03", "2026-03", at("2026-03-30"))
    s = summary["by_status"]
    assert s["pending_cents"] == 2502            # E2 paid 03-25: still in its 15-day window
    assert s["settleable_cents"] == 1068 + 477   # E1 and the override on E3
    assert s["reversed_cents"] == -534
    assert summary["total_cents"] == 2502 + 1068 + 477 - 534
    assert summary["override_commission_cents"] == 477
    assert summary["orders"] == 2 and summary["net_sales_cents"] == 8900 + 13900 - 4450
    # the period's refunds: E1's half; E3 is the recruit's order, not this KOC's
    assert (summary["refunded_orders"], summary["refunded_cents"]) == (1, 4450)
    by_sku = {p["sku"]: p for p in summary["by_product"]}
    assert by_sku["NH-SKN-01"]["commission_cents"] == 1068 - 534 and by_sku["NH-SKN-02"]["commission_cents"] == 477
    assert summary["next_settlement"] == {"date": "2026-04-10", "amount_cents": 1068 - 534 + 477 + 1068, "clawback_carried_cents": 0}


def test_refund_parsing_rejects_non_positive_amounts():
    with pytest.raises(BatchRejected, match="amount_cents"):
        parse_refunds("refund_id,order_id,amount_cents,refunded_at\nR,O,-5,2026-03-01T00:00:00\n", "csv")
