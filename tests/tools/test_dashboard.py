"""The earnings page and HQ's KOC overview: the figures are the service's own (the same endpoints
the chat's tools call), the months are the right seven, and a KOC token reaches only its own."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from tools.client import ToolsClient, ToolServiceError
from tools.dashboard import koc_dashboard, koc_overview, last_months
from tools.ledger import month_of

from .conftest import add_koc, order

KOC1, KOC2, HQ = "dash-koc1-token", "dash-koc2-token", "dash-hq-token-for-tests"


def test_last_months_cross_the_year() -> None:
    assert last_months(date(2026, 2, 14), 4) == ["2025-11", "2025-12", "2026-01", "2026-02"]
    assert len(last_months(date(2026, 11, 29))) == 7


@pytest.fixture
def app(koc_home, monkeypatch):
    from base.settings import get_settings
    from tools.ledger import import_orders
    from tools.service import create_app

    monkeypatch.setenv("KOC_HQ_TOKEN", HQ)
    monkeypatch.delenv("KOC_DEMO", raising=False)
    get_settings.cache_clear()
    app = create_app(get_settings())
    ledger = app.state.ledger
    add_koc(ledger.engine, ledger.policy, 1, token=KOC1)
    add_koc(ledger.engine, ledger.policy, 2, token=KOC2)
    today = datetime.now(UTC).date()
    import_orders(ledger.engine, ledger.policy, [order("d1", 1, quantity=2, paid=today.isoformat()),
                                                 order("d2", 2, quantity=5, paid=today.isoformat())])
    return app


def test_dashboard_figures_are_the_services(app) -> None:
    today = datetime.now(UTC).date()
    with ToolsClient.in_process(app=app, token=KOC1) as client:
        board = koc_dashboard(client, today)
        earnings = client.earnings()  # what the chat's get_my_earnings tool reads
    assert [m["month"] for m in board.months][-1] == month_of(today)
    assert board.months[-1]["total_cents"] == board.this_month["total_cents"] == earnings["total_cents"] > 0
    assert sum(board.months[-1][s] for s in ("pending", "settleable", "settled", "reversed", "forfeited")) == \
        board.months[-1]["total_cents"]
    assert board.this_month["koc_id"] == 1 and board.tier["koc_id"] == 1
    with ToolsClient.in_process(app=app, token=KOC2) as other:
        assert koc_dashboard(other, today).this_month["total_cents"] != board.this_month["total_cents"]


def test_overview_is_for_hq_only_and_filters(app) -> None:
    with ToolsClient.in_process(app=app, token=KOC1) as koc, pytest.raises(ToolServiceError) as refused:
        koc_overview(koc)
    assert refused.value.status_code == 403
    with ToolsClient.in_process(app=app, token=HQ) as hq:
        everyone = koc_overview(hq)
        assert {k["koc_id"] for k in everyone.top_performers} == {1, 2}
        assert koc_overview(hq, tier="no-such-tier").top_performers == []
        assert len(koc_overview(hq, limit=1).top_performers) == 1
