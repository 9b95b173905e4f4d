"""Tool results rendered as sentences by templates, in 简体 / English (繁體 via OpenCC).

Personal numbers reach the user only through these templates or through a model answer the
guard has checked against the same tool result, so every figure shown is one the commission
service computed. Money is integer cents in the results; it is formatted here as ¥1,234.50.
"""

from __future__ import annotations

from typing import Any, Callable

from assistant.messages import message
from base.language import counted, localize
from knowledge.profile import KbProfile
from tools.money import yuan as money_text

_STATUS_ZH = {"pending": "冻结中", "settleable": "可结算", "settled": "已结算", "reversed": "已冲回", "clawback": "待扣回",
              "forfeited": "已作废", "paid": "已发放"}


def yuan(cents: Any) -> str:
    """12345 → ¥123.45 (negative amounts keep their sign); a value that is not an amount is shown as it is."""
    try:
        value = int(cents)
    except (TypeError, ValueError):
        return str(cents)
    return money_text(value)


def tier_name(result: dict, lang: str, prefix: str = "tier") -> str:
    """A tier as a result names it: in English with its Chinese name beside it, which the handbooks use."""
    if lang == "en":
        en = result.get(f"{prefix}_en") or result.get(prefix, "")
        zh = result.get(f"{prefix}_zh", "")
        return f"{en} ({zh})" if zh and en else en or zh
    return result.get(f"{prefix}_zh") or result.get(prefix, "")


def _product_name(product: Any, lang: str) -> str:
    if isinstance(product, dict):
        return product.get("name_en" if lang == "en" else "name_zh") or product.get("sku", "")
    return str(product or "")


def earnings(r: dict, lang: str) -> str:
    period = r.get("period") or r.get("from_month") or ""
    # the frozen amount is always shown, ¥0.00 too: "how much is still frozen" is asked most, and nothing
    # frozen is an answer; other statuses only when they hold money
    parts = [(k.removesuffix("_cents"), v) for k, v in (r.get("by_status") or {}).items()
             if k.endswith("_cents") and (v or k == "pending_cents")]
    nxt = r.get("next_settlement") or {}
    if lang == "en":
        text = f"Your commission for {period} is {yuan(r.get('total_cents', 0))}"
        if parts:
            text += " (" + ", ".join(f"{name} {yuan(v)}" for name, v in parts) + ")"
        text += f", from {r.get('orders', 0)} orders ({_refunds(r, lang)}) with net sales of {yuan(r.get('net_sales_cents', 0))}."
        if r.get("override_commission_cents"):
            text += f" Of this, {yuan(r['override_commission_cents'])} is second-level override."
        if nxt.get("date"):
            text += f" Next settlement: {nxt['date']}, expected payout {yuan(nxt.get('amount_cents', 0))}."
        return text
    text = f"你 {period} 的佣金合计 {yuan(r.get('total_cents', 0))}"
    if parts:
        text += "（" + "，".join(f"{_STATUS_ZH.get(name, name)} {yuan(v)}" for name, v in parts) + "）"
    text += f"，共 {r.get('orders', 0)} 笔订单（{_refunds(r, lang)}），净销售额 {yuan(r.get('net_sales_cents', 0))}。"
    if r.get("override_commission_cents"):
        text += f"其中二级分销佣金 {yuan(r['override_commission_cents'])}。"
    if nxt.get("date"):
        text += f"下一次结算日是 {nxt['date']}，预计发放 {yuan(nxt.get('amount_cents', 0))}。"
    return text


def _refunds(r: dict, lang: str) -> str:
    """The period's refunds, none included: a KOC asks whether a customer returned anything, and the
    commission a refund takes back is why net sales are lower than sales."""
    count = int(r.get("refunded_orders") or 0)
    # commission reversed in the period while none of its orders was refunded: the refund of an earlier order
    earlier = -int((r.get("by_status") or {}).get("reversed_cents") or 0) if not count else 0
    if lang == "en":
        if count:
            return f"{count} refunded, {yuan(r.get('refunded_cents', 0))}"
        return f"none refunded; the {yuan(earlier)} reversed is for an earlier order's refund" if earlier > 0 else "no refunds"
    if count:
        return f"其中 {count} 笔有退款，共退 {yuan(r.get('refunded_cents', 0))}"
    return f"这些订单没有退款；冲回的 {yuan(earlier)} 是更早订单的退款" if earlier > 0 else "没有退款"


def estimate(r: dict, lang: str) -> str:
    name = _product_name(r.get("product"), lang)
    q = r.get("quantity", 1)
    rate = r.get("base_rate_percent") or r.get("base_rate", "")
    eff = r.get("effective_rate_percent") or r.get("effective_rate", "")
    external = r.get("kind") == "external"
    # a rate asked for another tier (or for external distributors) is the policy's, not "yours"
    if r.get("hypothetical"):
        whose_en = "the external distributor" if external else f"the {tier_name(r, lang)}"
        whose_zh = "外部分销者" if external else tier_name(r, lang)
    else:
        whose_en, whose_zh = f"your {tier_name(r, lang)}", f"你的{tier_name(r, lang)}"
    if lang == "en":
        return (f"Selling {q} × {name} (order amount {yuan(r.get('order_amount_cents', 0))}) at a {rate} commission rate "
                f"× {whose_en} multiplier {r.get('multiplier', '')} (effective {eff}) earns an estimated "
                f"{yuan(r.get('commission_cents', 0))} in commission.")
    return (f"卖出 {q} 件{name}（订单金额 {yuan(r.get('order_amount_cents', 0))}），按佣金比例 {rate} × {whose_zh}"
            f"系数 {r.get('multiplier', '')}（实际 {eff}）计算，预计佣金 {yuan(r.get('commission_cents', 0))}。")


def _gap(c: dict, lang: str) -> str:
    if c.get("criterion") == "net_sales_cents":
        return (f"{yuan(c.get('missing_cents', 0))} more net sales" if lang == "en"
                else f"净销售额还差 {yuan(c.get('missing_cents', 0))}")
    if lang == "en":
        return counted(c.get("missing", 0), "more " + c.get("name_en", c.get("criterion", "")))
    return f"{c.get('name_zh', c.get('criterion', ''))}还差 {c.get('missing', 0)}"


def _unmet(r: dict, lang: str) -> list[str]:
    """Each criterion of the next tier not met yet, in the reply's language."""
    return [_gap(c, lang) for c in r.get("criteria", []) if not c.get("met")]


def _gaps(r: dict, lang: str) -> str:
    """What the next tier still asks, in the reply's language (from the criteria; the service's own
    ``gap_text`` is English)."""
    gaps = _unmet(r, lang)
    if gaps:
        return (", " if lang == "en" else "，").join(gaps)
    return str(r.get("gap_text", "")) if lang == "en" else ""


def _worded(text: str | None, texts: dict | None, lang: str) -> str | None:
    """A reward or prize in the answer's language ("en" or "zh", whose script the reply is localized
    to) when the policy words it so; else as HQ wrote it."""
    return (texts or {}).get("en" if lang == "en" else "zh") or text


def _external(r: dict, lang: str) -> str:
    """An external distributor's standing: no ladder, a flat multiplier, and the assessment while it runs."""
    if lang == "en":
        text = (f"External distributors have no tier ladder: your multiplier stays ×{r.get('multiplier', '')}"
                + (f", plus a {r['override_rate']} override on your recruits' orders" if r.get("override_rate") else "") + ".")
        return text + (f" {assessed}" if (assessed := _assessment(r, lang)) else "")
    text = (f"外部分销者不参与等级体系，佣金系数固定为 ×{r.get('multiplier', '')}"
            + (f"，另有下线订单 {r['override_rate']} 的分成" if r.get("override_rate") else "") + "。")
    return text + _assessment(r, lang)


def tier_progress(r: dict, lang: str) -> str:
    nxt = r.get("next_tier")
    if r.get("kind") == "external":
        return _external(r, lang)
    head = (f"You are a {tier_name(r, lang)} KOC (multiplier ×{r.get('multiplier', '')})." if lang == "en"
            else f"你现在是{tier_name(r, lang)}（佣金系数 ×{r.get('multiplier', '')}）。")
    if not nxt:
        return head + (f" {tier_name(r, lang)} is the top tier." if lang == "en" else f"{tier_name(r, lang)}已是最高等级。")
    gaps = _unmet(r, lang)
    reward = _worded(nxt.get("promotion_reward"), nxt.get("promotion_reward_texts"), lang)
    if lang == "en":
        body = (f" To reach {tier_name(nxt, lang)} you still need: {', '.join(gaps)}." if gaps
                else f" You meet every threshold of {tier_name(nxt, lang)}; the daily promotion run will promote you.")
        return head + body + (f" Promotion reward: {reward}." if reward else "")
    body = (f"升到{tier_name(nxt, lang)}还需要：{'，'.join(gaps)}。" if gaps
            else f"你已达到{tier_name(nxt, lang)}的全部条件，每日晋级评估时会自动升级。")
    return head + body + (f"晋级奖励：{reward}。" if reward else "")


def competition(r: dict, lang: str) -> str:
    month = r.get("month", "")
    if not r.get("entered"):
        return (f"You are not entered in the {month} sales competition yet: one paid order that month enters you."
                if lang == "en" else f"你还没有进入 {month} 的销售比赛：当月有 1 笔付款订单即可自动参赛。")
    prize = _worded(r.get("prize"), r.get("prize_texts"), lang)
    if lang == "en":
        text = (f"In the {month} sales competition you are ranked #{r.get('rank')} of {r.get('entrants')} with net sales of "
                f"{yuan(r.get('net_sales_cents', 0))}.")
        if prize:
            text += f" At this rank the prize is {prize}."
        if r.get("next_rank"):
            text += f" {yuan(r.get('gap_to_next_rank_cents', 0))} more net sales would move you up to #{r['next_rank']}."
        return text
    text = f"{month} 销售比赛中你目前排第 {r.get('rank')} 名（共 {r.get('entrants')} 人参赛），净销售额 {yuan(r.get('net_sales_cents', 0))}。"
    if prize:
        text += f"按当前名次可获得 {prize}。"
    if r.get("next_rank"):
        text += f"再多 {yuan(r.get('gap_to_next_rank_cents', 0))} 净销售额就能升到第 {r['next_rank']} 名。"
    return text


_TRIAL_STATUS = {"awaiting_review": ("待交测评", "awaiting review"), "overdue": ("已逾期", "overdue"),
                 "reviewed": ("已评分", "reviewed"), "delivered": ("已提交", "delivered")}


#: why trials are blocked (``tools.rules.trial_block``), in Chinese and English
_TRIAL_BLOCKS = {
    "disqualified": ("资格已被取消（违反核心规则）", "qualification cancelled (core rule)"),
    "blacklisted": ("有试用测评一直没有交，已停止试用资格", "barred from trials: a trial review was never delivered"),
    "eliminated": ("合作已结束", "partnership ended"),
    "suspended": ("连续多次测评不合格，{until} 前不能领取试用", "no trial slots until {until} after poor reviews in a row"),
    "external": ("外部分销者没有试用名额", "external distributors have no trial slots"),
    "tier": ("当前等级没有试用名额，升到下一级后开放", "trials unlock at the next tier"),
}


def _trial_block(r: dict, lang: str) -> str:
    code = r.get("blocked_code")
    if code in _TRIAL_BLOCKS:
        return _TRIAL_BLOCKS[code][lang == "en"].format(until=r.get("suspended_until") or "")
    return str(r.get("blocked_reason") or "") if lang == "en" else ""


def trials(r: dict, lang: str) -> str:
    items = r.get("trials") or []
    lines = []
    for t in items:
        status = _TRIAL_STATUS.get(t.get("status", ""), (t.get("status", ""), t.get("status", "")))
        name = t.get("product_en" if lang == "en" else "product_zh", t.get("sku", ""))
        if lang == "en":
            line = f"{name}: {status[1]}, received {t.get('received_on')}, review due {t.get('due_on')}"
            if t.get("review_score") is not None:
                line += f", score {t['review_score']}"
        else:
            line = f"{name}：{status[0]}，{t.get('received_on')} 收到，测评截止 {t.get('due_on')}"
            if t.get("review_score") is not None:
                line += f"，评分 {t['review_score']}"
        lines.append(line)
    blocked = _trial_block(r, lang)
    if lang == "en":
        head = f"You have {len(items)} trial(s)." if items else "You have no trials yet."
        tail = f" Trial slots left this month: {r.get('slots_left_this_month', 0)}."
        if blocked:
            tail += f" Trials are currently blocked: {blocked}."
        return head + ("\n- " + "\n- ".join(lines) if lines else "") + "\n" + tail.strip()
    head = f"你共有 {len(items)} 个试用。" if items else "你目前还没有试用。"
    tail = f"本月剩余试用名额：{r.get('slots_left_this_month', 0)} 个。"
    if blocked:
        tail += f"目前暂停领取试用：{blocked}。"
    return head + ("\n- " + "\n- ".join(lines) if lines else "") + "\n" + tail


def products(r: Any, lang: str) -> str:
    items = r.get("products", r.get("items", [])) if isinstance(r, dict) else r
    near = (r.get("close_matches") or []) if isinstance(r, dict) else []
    if not items and not near:
        return "No matching products." if lang == "en" else "没有找到匹配的商品。"
    if not items:  # nothing matched exactly: offer the closest names instead of a dead end
        items = near
        head = "No exact match; the closest products:" if lang == "en" else "没有完全匹配的商品，相近的有："
    else:
        head = "Matching products:" if lang == "en" else "找到这些商品："
    lines = [f"{p.get('sku')} {_product_name(p, lang)} · {yuan(p.get('price_cents', 0))}" for p in items[:15]]
    return head + "\n- " + "\n- ".join(lines)


def near_promotion(r: Any, lang: str) -> str:
    items = r.get("kocs", r.get("items", [])) if isinstance(r, dict) else r
    if not items:
        return "No KOC is close to promotion right now." if lang == "en" else "目前没有接近晋级的KOC。"
    lines = []
    for k in items:
        nxt = k.get("next_tier_en" if lang == "en" else "next_tier_zh", k.get("next_tier", ""))
        gaps = ("，" if lang != "en" else ", ").join(_gap(c, lang) for c in k.get("missing", [])) or k.get("gap_text", "")
        lines.append(f"KOC {k.get('koc_id')} {k.get('name', '')}: {tier_name(k, lang)} → {nxt}, "
                     f"{round(100 * float(k.get('progress', 0)))}%, {gaps}")
    head = "KOCs closest to promotion:" if lang == "en" else "最接近晋级的KOC："
    return head + "\n- " + "\n- ".join(lines)


def top_performers(r: Any, lang: str) -> str:
    items = r.get("kocs", []) if isinstance(r, dict) else r
    month = r.get("month", "") if isinstance(r, dict) else ""
    if not items:
        return f"No KOC has paid orders in {month} yet." if lang == "en" else f"{month} 还没有KOC有付款订单。"
    if lang == "en":
        lines = [f"{k.get('rank')}. KOC {k.get('koc_id')} {k.get('name', '')}, {tier_name(k, lang)}: net sales "
                 f"{yuan(k.get('net_sales_cents', 0))}, {k.get('paid_orders', 0)} paid orders" for k in items]
        return f"Top KOCs by net sales, {month}:\n- " + "\n- ".join(lines)
    lines = [f"第 {k.get('rank')} 名 KOC {k.get('koc_id')} {k.get('name', '')}（{tier_name(k, lang)}）：净销售额 "
             f"{yuan(k.get('net_sales_cents', 0))}，{k.get('paid_orders', 0)} 笔付款订单" for k in items]
    return f"{month} 净销售额最高的KOC：\n- " + "\n- ".join(lines)


def _risk(k: dict, lang: str) -> str:
    """What a KOC at risk is about to lose, from the service's figures (its ``detail`` is English only)."""
    kind = k.get("risk")
    if kind == "elimination" and "poor_reviews" in k:
        return (f"{k['poor_reviews']} poor trial reviews in a row; one more below {k.get('poor_score_below')} suspends trials "
                f"for {k.get('suspension_days')} days" if lang == "en" else
                f"连续 {k['poor_reviews']} 次测评低分，再有一次低于 {k.get('poor_score_below')} 分将暂停试用 {k.get('suspension_days')} 天")
    if kind == "blacklist" and "due_on" in k:
        return (f"trial of {k.get('sku')} was due {k['due_on']} and is not delivered" if lang == "en" else
                f"{k.get('sku')} 的试用测评 {k['due_on']} 到期，尚未交付")
    if kind == "assessment" and "paid_orders" in k:
        return (f"{k['paid_orders']} of {k.get('needed_orders')} paid orders, {k.get('days_left')} days of the assessment left"
                if lang == "en" else
                f"考核期付款订单 {k['paid_orders']} / {k.get('needed_orders')} 笔，考核还剩 {k.get('days_left')} 天")
    return str(k.get("detail", kind or ""))


def at_risk(r: Any, lang: str) -> str:
    items = r.get("kocs", []) if isinstance(r, dict) else r
    if not items:
        return "No KOC is at risk right now." if lang == "en" else "目前没有处于风险中的KOC。"
    lines = [f"KOC {k.get('koc_id')} {k.get('name', '')}: {_risk(k, lang)}" for k in items]
    head = "KOCs at risk:" if lang == "en" else "有风险的KOC："
    return head + "\n- " + "\n- ".join(lines)


#: a KOC's status as the ledger stores it (``tools.models.KOC_STATUSES``), in Chinese
_KOC_STATUS_ZH = {"active": "正常", "eliminated": "已淘汰", "blacklisted": "已拉黑", "disqualified": "已取消资格"}


def _assessment(r: dict, lang: str) -> str:
    """An external distributor's assessment while it runs (its result once decided), "" for anyone else."""
    a = r.get("assessment") or {}
    if not a:
        return ""
    if a.get("passed") is not None:
        passed = bool(a["passed"])
        return ("Assessment passed." if passed else "Assessment not passed.") if lang == "en" else \
            ("考核已通过。" if passed else "考核未通过。")
    return (f"Assessment: {a.get('paid_orders')} of {a.get('required_orders')} paid orders, {a.get('days_left')} days left "
            f"(ends {a.get('ends_on')})." if lang == "en" else
            f"考核期付款订单 {a.get('paid_orders')} / {a.get('required_orders')} 笔，还剩 {a.get('days_left')} 天（{a.get('ends_on')} 结束）。")


def overview(r: dict, lang: str) -> str:
    m = r.get("this_month") or {}
    external = r.get("kind") == "external"
    if lang == "en":
        who = "external distributor" if external else tier_name(r, lang)
        return (f"KOC {r.get('koc_id')} {r.get('name', '')}: {who}, status {r.get('status')}, joined {r.get('joined_on')}. "
                f"This month ({m.get('month')}): commission {yuan(m.get('commission_cents', 0))}, {m.get('orders', 0)} orders, "
                f"net sales {yuan(m.get('net_sales_cents', 0))}. Lifetime net sales {yuan(r.get('lifetime_net_sales_cents', 0))}."
                + (f" Next tier gap: {gaps}." if (gaps := _gaps(r, lang)) else "")
                + (f" {assessed}" if (assessed := _assessment(r, lang)) else ""))
    status = _KOC_STATUS_ZH.get(str(r.get("status")), r.get("status"))
    who = "外部分销者" if external else tier_name(r, lang)
    return (f"KOC {r.get('koc_id')} {r.get('name', '')}：{who}，状态{status}，{r.get('joined_on')} 加入。"
            f"本月（{m.get('month')}）佣金 {yuan(m.get('commission_cents', 0))}，{m.get('orders', 0)} 笔订单，"
            f"净销售额 {yuan(m.get('net_sales_cents', 0))}；累计净销售额 {yuan(r.get('lifetime_net_sales_cents', 0))}。"
            + (f"距下一级：{gaps}。" if (gaps := _gaps(r, lang)) else "") + _assessment(r, lang))


RENDERERS: dict[str, Callable[[Any, str], str]] = {
    "get_my_earnings": earnings, "estimate_commission": estimate, "get_my_tier_progress": tier_progress,
    "get_my_competition_rank": competition, "get_my_trials": trials, "search_products": products,
    "find_kocs_near_promotion": near_promotion, "find_top_performers": top_performers, "find_kocs_at_risk": at_risk,
    "koc_overview": overview,
}


#: the commission service's refusals, said in the asker's language (HTTP status → message key): a
#: sign-in or a permission is named in full; a missing record or a rejected request keeps the
#: service's own detail in brackets (it names the record or the argument), without "try again later"
_STATUS_MESSAGES = {401: "session_expired", 403: "tool_forbidden", 404: "tool_no_record", 422: "tool_rejected"}
#: arguments the asker can correct, by the field the tool names (``tools.lc_tools``)
_FIELD_ERRORS = {"quantity": "quantity_too_small"}


def render_tool_result(tool: str, result: Any, language: str, profile: KbProfile | None = None) -> str:
    """The tool result as a reply in the asker's language; errors are reported, not hidden (a service
    that is down is said so in the asker's language, not with the client's English message)."""
    if isinstance(result, dict) and result.get("unavailable"):
        return message("tool_unavailable", language)
    if isinstance(result, dict) and result.get("field") in _FIELD_ERRORS:
        return message(_FIELD_ERRORS[result["field"]], language)
    if isinstance(result, dict) and result.get("status") in _STATUS_MESSAGES:  # the service's sentence never leads a 中文 reply
        return message(_STATUS_MESSAGES[result["status"]], language, error=str(result.get("error", "")).rstrip("。.！!"))
    if isinstance(result, dict) and "error" in result:
        return message("tool_error", language, profile, error=str(result["error"]).rstrip("。.！!"))  # the message ends it
    renderer = RENDERERS.get(tool)
    lang = "en" if language == "en" else "zh"
    try:
        text = renderer(result, lang) if renderer else str(result)
    except Exception:  # an unexpected result shape must still show the user something true
        text = str(result)
    return text if language == "en" else localize(text, language)
