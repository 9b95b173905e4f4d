"""The compliance HTML of the app: a checked post with every problem marked (nested spans, a missing
tag, text that looks like markup), and a brief's report."""

from __future__ import annotations

from assistant.compliance.report import ComplianceReport, Violation
from ui.web.render import NO_VIOLATIONS, render_compliance, render_marked, render_violations


def _v(start: int, end: int, text: str, rule: str) -> Violation:
    return Violation(start=start, end=end, term=text[start:end], rule=rule, suggestion=f"fix {rule}")


def test_marks_nest_carry_every_rule_and_escape_the_text() -> None:
    text = "<i>超长正文最好用</i>"
    body = _v(3, 10, text, "body too long")
    term = _v(7, 9, text, "absolute <claim>")
    tag = Violation(start=len(text), end=len(text), term="", rule="disclosure", suggestion="add the tag")
    html = render_marked(text, [body, term, tag])
    assert html.startswith("<div class='koc-post'>&lt;i&gt;") and "<i>" not in html
    assert "<mark class='koc-violation' title='body too long'>超长正文</mark>" in html
    assert "<mark class='koc-violation' title='body too long; absolute &lt;claim&gt;'>最好</mark><sup class='koc-violation-n'>2</sup>" in html
    assert "<mark class='koc-violation' title='body too long'>用</mark><sup class='koc-violation-n'>1</sup>" in html
    assert html.endswith("&lt;/i&gt;<mark class='koc-missing' title='disclosure'>⟨3⟩</mark></div>")
    assert render_marked(text, []) == "<div class='koc-post'>&lt;i&gt;超长正文最好用&lt;/i&gt;</div>"


def test_problem_list_and_brief_report() -> None:
    text = "最好<b>"
    problems = render_violations([_v(0, 2, text, "absolute"), Violation(start=5, end=5, term="", rule="tag", suggestion="add #x",
                                                                      where="topics[0].hook")])
    assert problems.count("<li>") == 2 and "→ fix absolute" in problems and "<i>missing</i> <span class='koc-where'>(topics[0].hook)" in problems
    assert render_violations([]) == NO_VIOLATIONS
    assert "passed: 7 texts" in render_compliance(ComplianceReport(checked_texts=7))
    failed = render_compliance(ComplianceReport(violations=[_v(0, 2, text, "absolute")], checked_texts=3))
    assert "koc-fail" in failed and "1 violations in 3 texts" in failed and "最好" in failed
