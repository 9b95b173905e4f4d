"""`koc ledger ...` commands: a bad file lists every bad row and writes nothing; good files import."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from .conftest import add_koc


@pytest.fixture
def one_koc_ledger(koc_home):
    """The `koc` app over a KOC_HOME whose ledger has the policy's products and KOC 1; (app, engine)."""
    from base.settings import get_settings
    from tools.db import open_engine
    from tools.ledger import sync_products
    from tools.policy import load_policy
    from ui.cli import app

    settings = get_settings()
    engine, policy = open_engine(settings), load_policy(settings.policy)
    sync_products(engine, policy)
    add_koc(engine, policy, 1)
    return app, engine


def test_ledger_import_settle_evaluate(one_koc_ledger, tmp_path):
    app, _ = one_koc_ledger
    runner = CliRunner()
    bad = tmp_path / "orders.csv"
    bad.write_text("order_id,koc_id,sku,quantity,paid_at\nk1,1,NH-SKN-01,1,2026-03-01T08:00:00Z\nk2,1,NH-ZZZ-01,1,2026-03-01T08:00:00Z\n"
                   "k3,1,NH-SKN-01,abc,2026-03-01T08:00:00Z\n", encoding="utf-8")
    result = runner.invoke(app, ["ledger", "import-orders", str(bad)])
    assert result.exit_code == 1
    assert "row 3 k2: unknown SKU" in result.output and "row 4 k3" in result.output
    good = tmp_path / "good.csv"
    good.write_text("order_id,code,sku,quantity,paid_at\nk1,C000001,NH-SKN-01,1,2026-03-01T08:00:00Z\n", encoding="utf-8")
    result = runner.invoke(app, ["ledger", "import-orders", str(good)])
    assert result.exit_code == 0 and "1 orders imported" in result.output
    refunds = tmp_path / "refunds.json"
    refunds.write_text('[{"refund_id": "kr1", "order_id": "k1", "amount_cents": 8900, "refunded_at": "2026-03-02T00:00:00Z"}]')
    result = runner.invoke(app, ["ledger", "import-refunds", str(refunds)])
    assert result.exit_code == 0 and "1 reversal rows" in result.output
    result = runner.invoke(app, ["ledger", "settle", "--on", "2026-04-11"])
    assert result.exit_code == 1 and "day 10" in result.output
    assert runner.invoke(app, ["ledger", "settle", "--on", "2026-04-10"]).exit_code == 0
    assert "promoted 0" in runner.invoke(app, ["ledger", "evaluate", "--on", "2026-04-10"]).output


def test_gbk_csv_import_is_decoded_and_junk_is_a_clear_error(one_koc_ledger, tmp_path):
    """A CSV saved by Chinese Excel (GBK) used to end in a UnicodeDecodeError traceback."""
    from sqlalchemy import select

    from tools.ledger import ORDERS

    app, engine = one_koc_ledger
    runner = CliRunner()
    gbk = tmp_path / "orders-gbk.csv"
    gbk.write_bytes("order_id,koc_id,sku,quantity,paid_at\n暖岛订单-1,1,NH-SKN-01,1,2026-03-01T08:00:00Z\n"
                    "暖岛订单-2,1,NH-SKN-01,2,2026-03-01T09:00:00Z\n".encode("gbk"))
    result = runner.invoke(app, ["ledger", "import-orders", str(gbk)])
    # read as GB18030 (not as Big5 mojibake): the rows are checked and the (ASCII-only) order ids refused by name
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.exception
    assert "read it as gb18030" in result.output and "row 2 暖岛订单-1: order_id" in result.output
    with engine.connect() as conn:
        assert conn.execute(select(ORDERS.c.order_id)).scalars().all() == []
    gbk.write_bytes("order_id,koc_id,sku,quantity,paid_at\nGBK-1,1,NH-SKN-01,1,2026-03-01T08:00:00Z\n".encode("gbk"))
    result = runner.invoke(app, ["ledger", "import-orders", str(gbk)])
    assert result.exit_code == 0 and "1 orders imported" in result.output
    junk = tmp_path / "refunds.csv"
    junk.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20)
    for command in ("import-orders", "import-refunds"):
        result = runner.invoke(app, ["ledger", command, str(junk)])
        assert result.exit_code == 1 and isinstance(result.exception, SystemExit), result.exception
        assert "cannot read" in result.output and "UTF-8" in result.output
