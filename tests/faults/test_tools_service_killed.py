"""Kill the commission & tier service in the middle of a chat: the assistant keeps answering, says
plainly (in the asker's language) that personal numbers can't be looked up, a token it has not
seen yet gets a 503 that says why, nothing is a 500; once the service is back, so are the numbers."""

from __future__ import annotations

import json
import time
from pathlib import Path

import httpx
import pytest

from tests.faults.conftest import DemoHome, ServiceProcess
from tests.servers import ThreadedServer

ZH_DOWN = "佣金与等级服务暂时无法访问"
EN_DOWN = "commission & tier service can't be reached"
EARNINGS_ZH, EARNINGS_EN, RULES_ZH = "我这个月的佣金收入有多少？", "How much commission did I earn this month?", "佣金什么时候结算？"


def chat(api: str, token: str, question: str, stream: bool = False) -> httpx.Response:
    return httpx.post(f"{api}/v1/chat/completions", timeout=60, headers={"Authorization": f"Bearer {token}"},
                      json={"model": "koc-copilot", "stream": stream, "messages": [{"role": "user", "content": question}]})


def streamed_text(resp: httpx.Response) -> tuple[str, dict]:
    events = [line[6:] for line in resp.text.splitlines() if line.startswith("data: ")]
    assert events[-1] == "[DONE]", events[-3:]
    chunks = [json.loads(e) for e in events[:-1]]
    return "".join(c["choices"][0]["delta"].get("content") or "" for c in chunks), chunks[-1].get("koc") or {}


@pytest.mark.timeout(300)
def test_killing_the_tools_service_mid_chat(demo_home: DemoHome, tools_service: ServiceProcess, tmp_path: Path) -> None:
    from base.settings import Settings
    from ui.api import create_api
    from ui.compose import build_copilot

    settings = Settings(home=demo_home.home, embed_provider="hashing", llm="offline", demo=True,
                        tools_url=tools_service.health_url.removesuffix("/health"))
    me, newcomer = demo_home.kocs[0], demo_home.kocs[1]
    with ThreadedServer(create_api(settings, build_copilot(settings))) as api:
        first = chat(api.url, me["token"], EARNINGS_ZH)
        assert first.status_code == 200, first.text
        (call,) = first.json()["koc"]["tool_calls"]
        assert call["name"] == "get_my_earnings" and call["result"]["koc_id"] == me["id"]
        started = time.monotonic()

        tools_service.kill()  # SIGKILL: no goodbye, connections refused from now on

        zh = chat(api.url, me["token"], EARNINGS_ZH)
        en = chat(api.url, me["token"], EARNINGS_EN)
        streamed = chat(api.url, me["token"], EARNINGS_ZH, stream=True)
        rules = chat(api.url, me["token"], RULES_ZH)
        unseen = chat(api.url, newcomer["token"], EARNINGS_ZH)
        within_cache = time.monotonic() - started < 25  # the identity and service-health caches live 30 s
        for resp in (zh, en, streamed, rules, unseen):
            assert resp.status_code != 500, resp.text[:500]
        if within_cache:  # the signed-in KOC keeps chatting; personal numbers are said to be unavailable
            assert zh.status_code == 200 and ZH_DOWN in zh.json()["choices"][0]["message"]["content"]
            assert en.status_code == 200 and EN_DOWN in en.json()["choices"][0]["message"]["content"]
            text, ext = streamed_text(streamed)
            assert streamed.status_code == 200 and ZH_DOWN in text and ext.get("answer")
            assert rules.status_code == 200 and rules.json()["koc"]["citations"]  # the handbooks still answer
        # a token not checked yet cannot be checked now: 503 in OpenAI's shape, with the reason
        assert unseen.status_code == 503 and unseen.headers.get("retry-after")
        error = unseen.json()["error"]
        assert error["type"] == "server_error" and "commission & tier service is unreachable" in error["message"]

        tools_service.start()  # back on the same port: personal numbers come back
        again = chat(api.url, newcomer["token"], EARNINGS_ZH)
        assert again.status_code == 200, again.text
        (call,) = again.json()["koc"]["tool_calls"]
        assert call["result"]["koc_id"] == newcomer["id"] and "error" not in call["result"]
