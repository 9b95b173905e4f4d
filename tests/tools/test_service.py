"""The HTTP service: bearer tokens on every endpoint, per-KOC isolation, clear 422s, imports over
HTTP, and the httpx client against a real uvicorn server on 127.0.0.1."""

from __future__ import annotations

import threading
import time

import httpx
import pytest

from tools.auth import hq_token
from tools.client import ToolsClient, ToolServiceError

from .conftest import add_koc, free_port

KOC1, KOC2 = "koc1-token-for-tests", "koc2-token-for-tests"
OPEN_TO_ANY_TOKEN = {"/v1/me", "/v1/products", "/v1/policy/rates", "/v1/estimate"}


HQ_TEST_TOKEN = "hq-test-token-not-a-demo-token"


@pytest.fixture
def service(koc_home, monkeypatch):
    """(app, HQ token) over a fresh SQLite ledger with KOCs 1 and 2 and a few orders; HQ is KOC_HQ_TOKEN (no demo mode)."""
    from base.settings import get_settings
    from tools.ledger import import_orders
    from tools.service import create_app

    monkeypatch.setenv("KOC_HQ_TOKEN", HQ_TEST_TOKEN)
    monkeypatch.delenv("KOC_DEMO", raising=False)
    get_settings.cache_clear()
    settings = get_settings()
    app = create_app(settings)
    ledger = app.state.ledger
    add_koc(ledger.engine, ledger.policy, 1, token=KOC1)
    add_koc(ledger.engine, ledger.policy, 2, kind="external", token=KOC2)
    from .conftest import order

    import_orders(ledger.engine, ledger.policy, [order("o1", 1, paid="2026-03-02"), order("o2", 2, "NH-GFT-01", paid="2026-03-02")])
    return app, hq_token(settings)


@pytest.fixture
def http(service):
    app, _ = service
    from tools.client import SyncASGITransport

    transport = SyncASGITransport(app)
    client = httpx.Client(transport=transport, base_url="http://t")
    yield client
    client.close()
    transport.close()


def _path(path: str, koc: str) -> str:
    return (path.replace("{koc}", koc).replace("{koc_id}", koc).replace("{trial_id}", "1").replace("{month}", "2026-03"))


def _routes(app) -> list[tuple[str, str]]:
    """(path, method) of every endpoint but /health, from the OpenAPI schema: it lists the routes of
    included routers too, however the FastAPI version nests them under ``app.routes``."""
    endpoints = [(path, method.upper()) for path, ops in app.openapi()["paths"].items() for method in sorted(ops)
                 if path != "/health"]
    assert len(endpoints) >= 25, endpoints
    return endpoints


def test_every_endpoint_needs_a_token(service, http):
    app, _ = service
    for path, method in _routes(app):
        response = http.request(method, _path(path, "1"))
        assert response.status_code == 401, (method, path)
        response = http.request(method, _path(path, "1"), headers={"Authorization": "Bearer wrong"})
        assert response.status_code == 401, (method, path)


@pytest.mark.parametrize("target", ["2", "999", "0", "abc"])
def test_koc_token_never_sees_another_koc(service, http, target):
    """KOC 1 asking for anything about KOC 2 (or a KOC that does not exist) gets the same bare 403."""
    app, _ = service
    checked = 0
    for path, method in _routes(app):
        if path in OPEN_TO_ANY_TOKEN:
            continue
        response = http.request(method, _path(path, target), headers={"Authorization": f"Bearer {KOC1}"},
                                json={} if method in ("POST", "PUT") else None)
        assert response.status_code == 403, (method, path, response.text)
        assert response.json() == {"detail": "forbidden"}, (method, path)
        checked += 1
    assert checked >= 20


def test_open_endpoints_return_only_own_or_public_data(service, http):
    headers = {"Authorization": f"Bearer {KOC1}"}
    me = http.get("/v1/me", headers=headers).json()
    assert me["role"] == "koc" and me["koc_id"] == 1
    for path in ("/v1/products?q=", "/v1/policy/rates", "/v1/estimate?product=NH-SUN-01&quantity=2&kind=external"):
        body = http.get(path, headers=headers).text
        assert "KOC 2" not in body and "o2" not in body and "koc_id" not in body


def test_any_signed_in_caller_may_price_a_sale_at_another_tier(service, http):
    """The estimate at a named tier reads the policy only: a KOC may ask what a higher tier would
    earn, and gets that tier's multiplier, not its own; an unknown tier is a clear 422."""
    headers = {"Authorization": f"Bearer {KOC1}"}
    own = http.get("/v1/kocs/me/estimate?product=NH-SUN-01&quantity=2", headers=headers).json()
    tiers = http.get("/v1/policy/rates", headers=headers).json()
    top = http.get("/v1/estimate", params={"product": "NH-SUN-01", "quantity": 2, "tier": own["tier"]},
                   headers=headers).json()
    assert top["commission_cents"] == own["commission_cents"] and "koc_id" not in top
    multipliers = tiers["tier_multipliers"]
    other = next(key for key in multipliers if str(multipliers[key]) != str(multipliers[own["tier"]]))
    at_other = http.get("/v1/estimate", params={"product": "NH-SUN-01", "quantity": 2, "tier": other},
                        headers=headers).json()
    assert at_other["tier"] == other and at_other["multiplier"] == str(multipliers[other]) != own["multiplier"]
    bad = http.get("/v1/estimate", params={"product": "NH-SUN-01", "tier": "no-such-tier"}, headers=headers)
    assert bad.status_code == 422 and "unknown tier" in bad.text


def test_own_data_through_me_and_own_id(service, http):
    headers = {"Authorization": f"Bearer {KOC1}"}
    for path in ("/v1/kocs/me/earnings?month=2026-03", "/v1/kocs/1/earnings?month=2026-03"):
        body = http.get(path, headers=headers).json()
        assert body["koc_id"] == 1 and body["total_cents"] == 1068 and body["total"] == "¥10.68"
    for suffix in ("", "/tier-progress", "/competition?month=2026-03", "/trials", "/estimate?product=NH-SUN-01&quantity=2"):
        response = http.get(f"/v1/kocs/me{suffix}", headers=headers)
        assert response.status_code == 200, (suffix, response.text)
        assert response.json()["koc_id"] == 1


def test_hq_sees_everyone(service, http):
    _, hq = service
    headers = {"Authorization": f"Bearer {hq}"}
    assert http.get("/v1/kocs/2/earnings?month=2026-03", headers=headers).json()["total_cents"] == 3192
    assert http.get("/v1/hq/top-performers?month=2026-03", headers=headers).json()["kocs"][0]["koc_id"] == 2
    assert http.get("/v1/kocs/me", headers=headers).status_code == 422
    assert http.get("/v1/kocs/404", headers=headers).status_code == 404


def test_kocs_near_promotion_to_one_tier(service, http):
    """HQ asks who is close to one tier: only KOCs whose next tier it is; an unknown tier is a 422."""
    app, hq = service
    headers = {"Authorization": f"Bearer {hq}"}
    policy = app.state.ledger.policy
    everyone = http.get("/v1/hq/near-promotion?limit=50", headers=headers).json()["kocs"]
    assert everyone and {k["next_tier"] for k in everyone} == {policy.tiers[1].key}  # KOC 1, a new private KOC
    assert http.get(f"/v1/hq/near-promotion?to_tier={policy.tiers[1].key}", headers=headers).json()["kocs"] == everyone
    assert http.get(f"/v1/hq/near-promotion?to_tier={policy.tiers[2].key}", headers=headers).json()["kocs"] == []
    response = http.get("/v1/hq/near-promotion?to_tier=platinum", headers=headers)
    assert response.status_code == 422 and "unknown tier" in response.json()["detail"]


@pytest.mark.parametrize("path, fragment", [
    ("/v1/kocs/me/estimate?product=NH-SUN-01&quantity=-3", "quantity"),
    ("/v1/kocs/me/estimate?product=NH-SUN-01&quantity=0", "greater than or equal to 1"),
    ("/v1/kocs/me/estimate?product=moisturiser%20xyz&quantity=1", "unknown product"),
    ("/v1/kocs/me/earnings?month=2026-3", "month"),
    ("/v1/kocs/me/earnings?month=2026-13", "YYYY-MM"),
])
def test_bad_inputs_are_422_with_a_clear_message(service, http, path, fragment):
    response = http.get(path, headers={"Authorization": f"Bearer {KOC1}"})
    assert response.status_code == 422
    assert fragment in response.json()["detail"]


def test_bulk_csv_import_over_http_is_all_or_nothing(service, http):
    _, hq = service
    headers = {"Authorization": f"Bearer {hq}", "Content-Type": "text/csv"}
    bad = ("order_id,koc_id,sku,quantity,paid_at\n"
           "h1,1,NH-SKN-01,1,2026-03-03T10:00:00Z\n"
           "h2,1,NH-NOPE-1,1,2026-03-03T10:00:00Z\n"
           "h3,1,NH-SKN-01,-1,2026-03-03T10:00:00Z\n")
    response = http.post("/v1/orders/bulk", content=bad, headers=headers)
    assert response.status_code == 422
    # every bad row at once (CSV line numbers): an unknown SKU and a negative quantity
    errors = response.json()["errors"]
    assert [(e["row"], e["key"]) for e in errors] == [(3, "h2"), (4, "h3")]
    assert "unknown SKU" in errors[0]["error"] and "quantity" in errors[1]["error"]
    good = bad.replace("NH-NOPE-1", "NH-SKN-02").replace(",-1,", ",1,")
    assert http.post("/v1/orders/bulk", content=good, headers=headers).json()["inserted"] == 3
    assert http.post("/v1/orders/bulk", content=good, headers=headers).json()["duplicates"] == 3
    response = http.post("/v1/refunds/bulk", json=[{"refund_id": "r1", "order_id": "h1", "amount_cents": 99999,
                                                    "refunded_at": "2026-03-04T00:00:00Z"}], headers={"Authorization": f"Bearer {hq}"})
    assert response.status_code == 422 and "exceed the paid amount" in response.json()["detail"]


def test_openapi_and_health(service, http):
    assert http.get("/health").json()["status"] == "ok"
    spec = http.get("/openapi.json").json()
    assert "/v1/kocs/{koc}/earnings" in spec["paths"]


@pytest.fixture
def live_server(service):
    """The app served by a real uvicorn on 127.0.0.1 in a background thread."""
    import uvicorn

    app, hq = service
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.time() + 20
    while not server.started and time.time() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", hq
    server.should_exit = True
    thread.join(10)


def test_client_against_real_server(live_server):
    url, hq = live_server
    with ToolsClient(url, KOC1) as client:
        assert client.me()["koc_id"] == 1
        assert client.earnings(month="2026-03")["total_cents"] == 1068
        est = client.estimate("防晒乳", 3)
        assert est["product"]["sku"] == "NH-SUN-01" and est["commission_cents"] == 7506  # 41700 × 18 %
        with pytest.raises(ToolServiceError) as err:
            client.earnings(koc=2)
        assert err.value.status_code == 403 and "not available to you" in str(err.value)
    with ToolsClient(url, hq) as client:
        assert client.overview(2)["kind"] == "external"
        report = client.import_orders([{"order_id": "live1", "koc_id": 1, "sku": "NH-BAB-01", "quantity": 2, "paid_at": "2026-03-09T08:00:00+08:00"}])
        assert report["inserted"] == 1


def test_service_down_is_a_clear_error():
    with ToolsClient(f"http://127.0.0.1:{free_port()}", KOC1, timeout=2) as client:
        with pytest.raises(ToolServiceError, match="unavailable"):
            client.earnings()


def test_clients_share_one_pool_but_never_a_token(live_server):
    """Clients for one URL reuse one connection pool (a client per question must be cheap), yet
    each request carries its own client's token, and closing one client leaves the others working."""
    url, _ = live_server
    first, second = ToolsClient(url, KOC1), ToolsClient(url, KOC2)
    assert first._http._transport is second._http._transport
    seen: dict[str, set[int]] = {KOC1: set(), KOC2: set()}

    def ask(client: ToolsClient, token: str) -> None:
        for _ in range(20):
            seen[token].add(client.me()["koc_id"])

    threads = [threading.Thread(target=ask, args=(c, t)) for c, t in ((first, KOC1), (second, KOC2))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert seen == {KOC1: {1}, KOC2: {2}}
    first.close()
    assert second.me()["koc_id"] == 2
    second.close()
    with ToolsClient(url, KOC1) as again:
        assert again.me()["koc_id"] == 1
