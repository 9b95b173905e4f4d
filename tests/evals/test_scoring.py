"""Per-case scores and the pass verdict."""

from __future__ import annotations

from evals.cases import Case
from evals.scoring import Context, score, verdict
from evals.tasks import Task

_RULE = Task(set_name="s", knowledge_base="kb", case=Case(id="r1", kind="rules", lang="en", question="What's the lowest amount sent out?",
                                                         facts=[["100"]]))
_HANDBOOK_TEXT = "Payouts start at ¥100 [1]."
_CITED = [{"n": 1, "source": "a.md", "chunk_id": "c1", "text": "Payouts start at ¥100."}]


def _scored(calls: list[dict]) -> tuple[dict, bool, list[str]]:
    result = {"answer": _HANDBOOK_TEXT, "refused": False, "citations": _CITED, "tool_calls": calls}
    s = score(_RULE, result, Context(secrets=[]))
    passed, why = verdict(_RULE, s)
    return s, passed, why


def test_a_rule_answered_by_a_lookup_of_the_askers_records_fails() -> None:
    """With a ledger that answers, the asker would get their own records instead of the rule; the
    handbook text shown after a failed lookup must not pass the case."""
    s, passed, why = _scored([{"name": "get_my_earnings", "args": {}, "result": {"error": "sign-in", "status": 401}}])
    assert not passed and s["key_facts"] is False and s["outcome"] == "wrong"
    assert any("lookup" in reason for reason in why)


def test_a_rule_answered_from_the_handbooks_or_with_an_estimate_passes() -> None:
    for calls in ([], [{"name": "estimate_commission", "args": {"product": "X"}, "result": {}}]):
        s, passed, why = _scored(calls)
        assert passed and s["key_facts"] is True and not s["record_lookup"], why
