"""The HQ token never fails open: outside demo mode only KOC_HQ_TOKEN is HQ; the public demo HQ token
(derivable from the source) is accepted only in demo mode and only when no real token is set."""

from __future__ import annotations

import httpx
import pytest

from base.settings import Settings
from tools.auth import HQTokenMissing, demo_token_for, hq_demo_token, hq_token, is_hq, require_hq_token


def test_no_derivable_fallback_outside_demo_mode():
    production = Settings(demo=False, hq_token="")
    with pytest.raises(HQTokenMissing, match="KOC_HQ_TOKEN"):
        hq_token(production)
    with pytest.raises(HQTokenMissing, match="KOC_DEMO=1"):
        require_hq_token(production)
    assert not is_hq(hq_demo_token(), production) and not is_hq("", production)


def test_demo_hq_token_only_in_demo_mode_without_a_real_one():
    assert hq_token(Settings(demo=True, hq_token="")) == hq_demo_token()
    assert is_hq(hq_demo_token(), Settings(demo=True, hq_token=""))
    real = Settings(demo=True, hq_token="hq-real-secret")
    assert hq_token(real) == "hq-real-secret" and is_hq("hq-real-secret", real) and not is_hq(hq_demo_token(), real)
    production = Settings(demo=False, hq_token="hq-real-secret")
    assert is_hq("hq-real-secret", production) and not is_hq(hq_demo_token(), production)


@pytest.mark.parametrize("demo, expected", [(False, 401), (True, 200)])
def test_the_service_accepts_the_demo_hq_token_only_in_demo_mode(koc_home, monkeypatch, demo, expected):
    """Over HTTP, on a real app: with KOC_HQ_TOKEN unset the demo HQ token used to be HQ everywhere."""
    from base.settings import get_settings
    from tools.client import SyncASGITransport
    from tools.service import create_app

    monkeypatch.delenv("KOC_HQ_TOKEN", raising=False)
    monkeypatch.setenv("KOC_DEMO", "1" if demo else "0")
    get_settings.cache_clear()
    transport = SyncASGITransport(create_app(get_settings()))
    with httpx.Client(transport=transport, base_url="http://t") as http:
        response = http.get("/v1/hq/top-performers", headers={"Authorization": f"Bearer {hq_demo_token()}"})
        assert response.status_code == expected, response.text
        # a demo KOC token opens nothing in a ledger the demo did not build
        assert http.get("/v1/me", headers={"Authorization": f"Bearer {demo_token_for(12)}"}).status_code == 401
    transport.close()
