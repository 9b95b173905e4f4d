"""HTTP client of the commission & tier service (what the assistant and the UI use).

One method per endpoint, returning the service's JSON as dicts. Anything that goes wrong on the
way (service down, timeout, 4xx/5xx) becomes a ``ToolServiceError`` whose message can be shown
to a user as is; the status code is kept for callers that care (403 vs 422).
"""

from __future__ import annotations

import weakref
from functools import lru_cache
from typing import Any

import anyio.from_thread
import httpx

from base.settings import Settings, get_settings
from tools.service import cached_app


class ToolServiceError(RuntimeError):
    """The commission service could not answer; ``str(err)`` is safe to show to the user."""

    def __init__(self, message: str, status_code: int | None = None, errors: list | None = None) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.errors = errors or []

    @property
    def unavailable(self) -> bool:
        """The service (or its database) is down, unreachable or failing, rather than refusing this request."""
        return self.status_code is None or self.status_code >= 500


class SyncASGITransport(httpx.BaseTransport):
    """Drive an ASGI app from synchronous code: httpx's ASGITransport is async-only, so each
    request runs on an event loop kept in a background thread (anyio blocking portal)."""

    def __init__(self, app: Any) -> None:
        self._inner = httpx.ASGITransport(app=app)
        self._portal_cm = anyio.from_thread.start_blocking_portal()
        self._portal = self._portal_cm.__enter__()
        weakref.finalize(self, self._portal_cm.__exit__, None, None, None)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        async def run() -> httpx.Response:
            response = await self._inner.handle_async_request(request)
            body = await response.aread()
            return httpx.Response(response.status_code, headers=response.headers, content=body, request=request)

        return self._portal.call(run)

    def close(self) -> None:
        if self._portal_cm is not None:
            cm, self._portal_cm = self._portal_cm, None
            cm.__exit__(None, None, None)


class _ProcessWideTransport(httpx.HTTPTransport):
    """A connection pool that outlives the clients using it: closing one client must not cut
    the connections of the others, so ``close`` leaves the pool open for the process."""

    def close(self) -> None:
        pass


@lru_cache(maxsize=16)
def pooled_transport(base_url: str) -> httpx.HTTPTransport:
    """One keep-alive pool per service URL, shared by every client in the process.

    Why: the assistant makes one client per question (it is bound to the asker's token), and a
    fresh httpx client builds an SSL context and opens a new connection each time; under load
    that was a third of the server's CPU. The pool is thread-safe; tokens stay per client."""
    return _ProcessWideTransport()


class ToolsClient:
    """Synchronous client bound to one bearer token; clients for the same URL share one pool."""

    def __init__(self, base_url: str, token: str, transport: httpx.BaseTransport | None = None, timeout: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/")
        transport = transport if transport is not None else pooled_transport(self.base_url)
        self._http = httpx.Client(base_url=self.base_url, transport=transport, timeout=timeout,
                                  headers={"Authorization": f"Bearer {token}", "Accept": "application/json"})
        self._keepalive: Any = None  # owner of an in-process transport (kept alive with the client)

    @classmethod
    def in_process(cls, settings: Settings | None = None, token: str = "", app: Any = None) -> "ToolsClient":
        """A client over the ASGI app in this process (tests, single-process runs): no socket."""
        if app is None:
            app = cached_app(settings)
        transport = SyncASGITransport(app)
        client = cls("http://tools.local", token, transport=transport)
        client._keepalive = transport
        return client

    @classmethod
    def from_settings(cls, token: str, settings: Settings | None = None, timeout: float = 10.0) -> "ToolsClient":
        settings = settings or get_settings()
        return cls(settings.resolved_tools_url, token, timeout=timeout)

    def close(self) -> None:
        self._http.close()
        if self._keepalive is not None:
            self._keepalive.close()
            self._keepalive = None

    def __enter__(self) -> "ToolsClient":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ transport
    def _request(self, method: str, path: str, **kwargs: Any) -> Any:
        params = kwargs.pop("params", None)
        if params:
            kwargs["params"] = {k: v for k, v in params.items() if v is not None}
        try:
            response = self._http.request(method, path, **kwargs)
        except httpx.TimeoutException as exc:
            raise ToolServiceError("The commission service did not answer in time; please try again shortly.") from exc
        except httpx.HTTPError as exc:
            raise ToolServiceError("The commission service is unavailable right now; personal numbers cannot be looked up.") from exc
        if response.status_code >= 400:
            try:
                body = response.json()
            except ValueError:
                body = {}
            detail = body.get("detail") if isinstance(body, dict) else None
            if response.status_code == 401:
                message = "Your sign-in is not valid for the commission service."
            elif response.status_code == 403:
                message = "That information is not available to you."
            elif response.status_code == 503:
                message = "The commission service is unavailable right now (its database cannot be reached); please try again shortly."
            elif response.status_code >= 500:
                message = "The commission service had an internal error; please try again later."
            else:
                message = str(detail or f"request failed with status {response.status_code}")
            raise ToolServiceError(message, response.status_code, body.get("errors") if isinstance(body, dict) else None)
        return response.json()

    # ------------------------------------------------------------------ endpoints
    def health(self) -> dict:
        return self._request("GET", "/health")

    def me(self) -> dict:
        return self._request("GET", "/v1/me")

    def products(self, query: str = "") -> dict:
        return self._request("GET", "/v1/products", params={"q": query})

    def rates(self) -> dict:
        return self._request("GET", "/v1/policy/rates")

    def overview(self, koc: int | str = "me") -> dict:
        return self._request("GET", f"/v1/kocs/{koc}")

    def earnings(self, koc: int | str = "me", month: str | None = None, from_month: str | None = None, to_month: str | None = None) -> dict:
        return self._request("GET", f"/v1/kocs/{koc}/earnings", params={"month": month, "from_month": from_month, "to_month": to_month})

    def estimate(self, product: str, quantity: int, koc: int | str = "me") -> dict:
        return self._request("GET", f"/v1/kocs/{koc}/estimate", params={"product": product, "quantity": quantity})

    def estimate_for_tier(self, product: str, quantity: int, tier: str | None = None, kind: str = "private") -> dict:
        """HQ: the estimate at ``tier`` (default the policy's entry tier) for a private or external seller."""
        return self._request("GET", "/v1/estimate", params={"product": product, "quantity": quantity, "tier": tier, "kind": kind})

    def tier_progress(self, koc: int | str = "me") -> dict:
        return self._request("GET", f"/v1/kocs/{koc}/tier-progress")

    def competition(self, koc: int | str = "me", month: str | None = None) -> dict:
        return self._request("GET", f"/v1/kocs/{koc}/competition", params={"month": month})

    def trials(self, koc: int | str = "me") -> dict:
        return self._request("GET", f"/v1/kocs/{koc}/trials")

    def near_promotion(self, limit: int = 10, to_tier: str | None = None) -> dict:
        params: dict[str, int | str] = {"limit": limit} | ({"to_tier": to_tier} if to_tier else {})
        return self._request("GET", "/v1/hq/near-promotion", params=params)

    def top_performers(self, month: str | None = None, limit: int = 10) -> dict:
        return self._request("GET", "/v1/hq/top-performers", params={"month": month, "limit": limit})

    def at_risk(self, limit: int = 50) -> dict:
        return self._request("GET", "/v1/hq/at-risk", params={"limit": limit})

    def import_orders(self, orders: list[dict] | str, csv: bool = False) -> dict:
        if csv:
            return self._request("POST", "/v1/orders/bulk", content=orders, headers={"Content-Type": "text/csv"})
        return self._request("POST", "/v1/orders/bulk", json=orders)

    def import_refunds(self, refunds: list[dict] | str, csv: bool = False) -> dict:
        if csv:
            return self._request("POST", "/v1/refunds/bulk", content=refunds, headers={"Content-Type": "text/csv"})
        return self._request("POST", "/v1/refunds/bulk", json=refunds)
