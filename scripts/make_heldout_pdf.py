"""Generate the one PDF of the held-out knowledge base: evals/kbs/heldout/credit-and-penalties.pdf.

The held-out brand is the fictional pet-food brand 青禾宠物厨房 (Qinghe Pet Kitchen); its other
documents are plain text files in the same folder. The PDF is rendered with reportlab's built-in CID
font STSong-Light, so no font file is needed and pypdf extracts the Chinese text. The output is
deterministic (reportlab ``invariant``) and the file is only rewritten when its bytes change; the
generated PDF is committed, so nobody needs reportlab just to run the held-out set.

Usage: .venv/bin/python scripts/make_heldout_pdf.py [--out FILE] [--check]
  --check   also extract the text back with pypdf and fail if it does not read as Chinese
"""

from __future__ import annotations

import argparse
from pathlib import Path

from pdf_render import Section, render_pdf

REPO_ROOT = Path(__file__).resolve().parent.parent
OUT_PATH = REPO_ROOT / "evals" / "kbs" / "heldout" / "credit-and-penalties.pdf"
TITLE = "青禾伙伴信用分与处罚规则"

AUTHOR = "青禾伙伴运营部"

SECTIONS: list[Section] = [
    (1, TITLE, [
        "为了保护宠物主人对青禾和对每一位伙伴的信任，青禾伙伴计划实行信用分制度。"
        "本规则适用于全部五个等级的伙伴，2026 年 1 月 1 日起执行。",
    ]),
    (2, "一、信用分是什么", [
        [
            "每位伙伴每个自然年有 12 分信用分，每年 1 月 1 日恢复为 12 分。",
            "一个季度内没有任何扣分记录的，下个季度第一天加 1 分，但总分不超过 12 分。",
            "信用分和扣分记录可以在青禾伙伴 App 的“我的 → 信用分”里查看。",
        ],
    ]),
    (2, "二、扣分标准", [
        (
            ["违规行为", "每次扣分"],
            ["合作内容未带 #青禾伙伴 标签或未说明推广关系", "1 分"],
            ["内容出现禁用词、极限词或宠物健康功效宣称", "2 分"],
            ["私下给顾客转账退款，或承诺官方没有的赠品、补偿", "3 分"],
            ["试吃品逾期未交试吃内容（见第四条）", "4 分"],
            ["冒充青禾官方客服，或用青禾标志开设非官方账号", "6 分"],
            ["刷单、自买自退、用他人身份注册小号", "12 分（直接清零）"],
            ["向青禾顾客私下销售其他品牌的宠物食品或用品", "12 分（直接清零）"],
        ),
        "同一篇内容里出现多个禁用词，按一次违规计算；运营通知后 48 小时内没有修改或删除的，再扣一次。",
    ]),
    (2, "三、分数对应的处理", [
        [
            "信用分 8 分及以下：暂停新品试吃名额和导师资格，直到分数回到 9 分及以上。",
            "信用分 4 分及以下：冻结推广码 30 天，冻结期间产生的订单不计佣金。",
            "信用分扣到 0 分：清退出青禾伙伴计划，所有未结算佣金不予发放，"
            "清退之日起 365 天内不能重新申请加入。",
        ],
    ]),
    (2, "四、试吃品逾期", [
        "新品试吃官在签收试吃品后 10 天内没有提交试吃内容的，运营会提醒一次；"
        "提醒后 5 天宽限期内仍未提交的，扣 4 分，并永久取消试吃资格。"
        "遇到宠物生病等特殊情况，请在截止日前联系青禾伙伴服务台说明，可以申请延期。",
        "试吃内容连续 2 次被评为 C 档的，暂停试吃 2 个月，名额转给排队中的伙伴；"
        "这种情况属于筛选，不扣信用分。",
    ]),
    (2, "五、申诉", [
        "收到扣分通知后 7 天内，可以在 App 的“信用分”页面提交申诉并附上截图等材料。"
        "运营会在 5 个工作日内答复；申诉成功的，分数退回。超过 7 天不再受理。",
    ]),
    (2, "六、联系我们", [
        "有任何疑问，请联系企业微信“青禾伙伴服务台”，服务时间为工作日 9:30 至 18:30。",
    ]),
]


def check_extracts(path: Path) -> str:
    """Read the PDF back with pypdf; fail unless the key Chinese phrases come out intact."""
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    for phrase in ("信用分", "12 分", "365 天", "青禾伙伴服务台", "永久取消试吃资格"):
        if phrase not in text:
            raise SystemExit(f"{path.name}: '{phrase}' does not extract; text starts {text[:200]!r}")
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT_PATH, help="output file")
    parser.add_argument("--check", action="store_true", help="verify the text extracts with pypdf")
    args = parser.parse_args()
    data = render_pdf(TITLE, SECTIONS, author=AUTHOR)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    changed = not (args.out.exists() and args.out.read_bytes() == data)
    if changed:
        args.out.write_bytes(data)
    print(f"{'wrote' if changed else 'unchanged'} {args.out} ({len(data)} bytes)")
    if args.check:
        text = check_extracts(args.out)
        print(f"extracts cleanly: {len(text)} characters")


if __name__ == "__main__":
    main()
