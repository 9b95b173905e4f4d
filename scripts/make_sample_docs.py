"""Generate the non-Markdown files of the demo knowledge base in knowledge/samples/.

Why a script: .docx and .pdf are binary and the GBK / Big5 text files must be written in a
legacy encoding, so their content lives here as plain Python text and is rendered on demand.
The generated files are committed, so nobody needs reportlab or a CJK font just to ingest them.

Output (each with a sidecar ``<file name>.meta.yaml`` holding title, doc_type, audience, language):
- commission-policy.docx          (python-docx, zh-CN)
- recruitment-poster-guidelines.pdf (reportlab, zh-CN, CID font STSong-Light: pypdf extracts it)
- training-copy-template.txt      (GBK encoded, zh-CN)
- faq-zh-tw.txt                   (Big5 encoded, zh-TW)
- dictionary.txt                  (jieba user dictionary of brand terms, 简 + 繁; not a document)

Idempotent: the output is deterministic (fixed timestamps, reportlab ``invariant``) and a file is
only rewritten when its bytes change. Facts must agree with docs/brand-facts.md;
tests/knowledge/test_sample_facts.py checks that.

Usage: .venv/bin/python scripts/make_sample_docs.py [--out DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import zipfile
from pathlib import Path

import yaml
from pdf_render import render_pdf

REPO_ROOT = Path(__file__).resolve().parent.parent
SAMPLES_DIR = REPO_ROOT / "knowledge" / "samples"
FIXED_TIME = dt.datetime(2026, 1, 5, 9, 0, 0)

# A document is a title plus sections; a section is (heading level, heading, blocks).
# A block is a paragraph string, a list of bullet strings, or a table (list of rows).
Block = str | list[str] | list[list[str]]
Section = tuple[int, str, list[Block]]

COMMISSION_META = {
    "title": "暖岛佣金政策",
    "doc_type": "commission",
    "audience": "koc",
    "language": "zh-CN",
}
COMMISSION_SECTIONS: list[Section] = [
    (1, "一、适用范围", [
        "本政策适用于暖岛私域KOC和外部分销者通过暖岛分销小程序产生的全部订单佣金。"
        "佣金是暖岛感谢你真诚分享的方式，我们希望每一笔钱都算得清楚、拿得明白。",
    ]),
    (1, "二、订单归属", [
        "顾客通过你的专属链接下单，或在下单时使用你的优惠码，订单即计入你名下（专属链接/优惠码）。"
        "一笔订单只计入一位KOC；如果顾客同时点过多人的链接，以最终下单使用的链接或优惠码为准。",
    ]),
    (1, "三、佣金比例", [
        "佣金比例按产品品类确定，热销新品单独设置比例：",
        [
            ["品类", "包含产品", "佣金比例"],
            ["防晒", "NH-SUN-02 小岛儿童物理防晒霜", "15%"],
            ["防晒（2026 新品）", "NH-SUN-01 晴空轻透防晒乳", "18%"],
            ["护肤", "NH-SKN-01 至 NH-SKN-04", "12%"],
            ["母婴洗护", "NH-BAB-01 至 NH-BAB-03", "10%"],
            ["身体护理", "NH-BOD-01 至 NH-BOD-03", "10%"],
            ["礼盒", "NH-GFT-01 暖岛四季礼盒", "8%"],
        ],
    ]),
    (1, "四、等级倍数", [
        "私域KOC的佣金再乘以等级倍数，等级越高倍数越高：",
        [
            ["等级", "佣金倍数"],
            ["新芽KOC", "×1.0"],
            ["绽放KOC", "×1.1"],
            ["星光KOC", "×1.2"],
            ["灯塔KOC", "×1.3"],
        ],
        "外部分销者不参与等级体系，倍数固定为 ×1.0。",
    ]),
    (1, "五、计算公式与示例", [
        "佣金 = 订单金额 × 佣金比例 × 等级倍数，结果按四舍五入保留到分。",
        [
            "新芽KOC卖出 3 瓶晴空轻透防晒乳：¥417 × 18% × 1.0 = ¥75.06。",
            "绽放KOC卖出 2 瓶燕麦修护面霜：¥318 × 12% × 1.1 = ¥41.98。",
            "星光KOC卖出 1 瓶积雪草净痘精华：¥189 × 12% × 1.2 = ¥27.22。",
            "灯塔KOC卖出 1 份暖岛四季礼盒：¥399 × 8% × 1.3 = ¥41.50。",
        ],
    ]),
    (1, "六、外部分销者的二级分销", [
        "外部分销者邀请另一位外部分销者加入后，可获得被邀请人订单金额 3% 的推荐佣金（二级分销）。"
        "推荐佣金只计算一层，不再向上追溯。例如：被邀请人卖出一瓶 ¥99 的小岛儿童物理防晒霜，"
        "被邀请人得到 ¥99 × 15% × 1.0 = ¥14.85，邀请人得到 ¥99 × 3% = ¥2.97。",
    ]),
    (1, "七、冻结期", [
        "订单付款后，佣金先进入冻结状态 15 天。这 15 天是顾客的退款期，期满后佣金变为可结算。"
        "在暖岛分销小程序的“我的收益”里，可以看到每笔佣金的状态：冻结中、可结算、已结算。",
    ]),
    (1, "八、月度结算", [
        "每月 10 日为结算日：截至上个月最后一天已经解冻的全部佣金，在当月 10 日统一结算，打入你的微信钱包。",
        [
            "3 月 5 日付款的订单，3 月 20 日解冻，4 月 10 日到账。",
            "3 月 25 日付款的订单，4 月 9 日解冻，5 月 10 日到账。",
        ],
    ]),
    (1, "九、退款与扣回", [
        "顾客全额退款时，这笔订单的全部佣金撤销，包括外部分销者的推荐佣金；部分退款时，按退款金额占订单金额的比例撤销佣金。",
        "如果佣金在退款时已经结算，撤销的金额会从你下一次结算中扣回。",
        "示例：新芽KOC卖出 2 瓶海盐舒缓保湿水，¥178 × 12% × 1.0 = ¥21.36；顾客退了其中 1 瓶（退款一半），撤销 ¥10.68。",
    ]),
    (1, "十、月度销售比赛", [
        "当月至少有 1 笔付款订单的KOC自动参加当月的销售比赛，按当月净销售额（实付金额减去退款）排名。",
        [
            ["名次", "奖励"],
            ["第 1 名", "¥1,000 现金奖金"],
            ["第 2 名", "¥600 现金奖金"],
            ["第 3 名", "¥300 现金奖金"],
            ["第 4 至 10 名", "¥100 优惠券"],
            ["当月净销售额达到 ¥500", "电子证书"],
        ],
    ]),
    (1, "十一、取消佣金的情形", [
        "违反核心规则，即向暖岛的粉丝私下销售其他品牌的产品，将取消KOC资格，所有未结算佣金不予发放。",
        "对佣金有疑问，请在结算日后 30 天内联系暖岛KOC小助手或发邮件到 ops@nuandao.example。",
    ]),
]

POSTER_META = {
    "title": "暖岛KOC招募海报设计规范",
    "doc_type": "poster",
    "audience": "all",
    "language": "zh-CN",
}
POSTER_SECTIONS: list[Section] = [
    (1, "暖岛KOC招募海报设计规范", [
        "招募海报是很多用户认识暖岛KOC计划的第一眼。本规范说明一张招募海报必须包含的四个部分、"
        "视觉要求、文案合规和审核流程，适用于总部运营和灯塔KOC自制的招募海报。",
    ]),
    (2, "一、海报的四个部分", [
        [
            "主标题：一句话说清“你能成为什么”，不超过 12 个字。例如：“做暖岛KOC，分享真心好物”。",
            "副标题：补充“为什么是你”，例如：“宝妈、敏感肌用户优先，零门槛加入”。",
            "内容：用 3 条以内的短句写清用户能得到什么，例如专属优惠码、分享佣金、新手培训和新品测评机会。",
            "行动号召：带一个限制条件（时间、名额或价格）再加二维码，例如“本期限招 50 人，扫码进群”。",
        ],
    ]),
    (2, "二、视觉要求", [
        [
            "主色使用暖岛米白和珊瑚橙，背景留白不少于三分之一。",
            "暖岛小岛标志放在左上角，大小不小于海报宽度的十分之一。",
            "二维码放在右下角，边长不小于 3 厘米，下方写明二维码有效期。",
            "人物照片使用真实KOC授权的生活照，不使用明星或网络图片。",
        ],
    ]),
    (2, "三、文案合规", [
        "海报文案同样受广告法约束，不能出现“最”“第一”“顶级”“国家级”“全网最低”等极限词，"
        "也不能承诺收入，例如“月入过万”。佣金只能写“分享可获佣金”，具体比例引导用户查看《暖岛佣金政策》。"
        "所有合作海报需要标注 #暖岛合作。",
    ]),
    (2, "四、限制条件怎么写", [
        [
            "时间限制：写明截止日期，例如“12 月 31 日前报名”。",
            "名额限制：写明本期人数，例如“本期限招 50 人”，与培训群【招募中】状态保持一致，招满后改为【培训中】。",
            "价格限制：只能使用暖岛分销小程序里真实存在的优惠券，不自创折扣。",
        ],
    ]),
    (2, "五、提交与审核", [
        "KOC自制的招募海报，请先发给暖岛KOC小助手审核，审核通过后再发布。审核一般在 2 个工作日内完成。",
    ]),
]

TRAINING_META = {
    "title": "暖岛KOC培训文案模板",
    "doc_type": "training",
    "audience": "koc",
    "language": "zh-CN",
}
TRAINING_TEXT = """# 暖岛KOC培训文案模板

这份模板用于在妈妈群、朋友圈里邀请新朋友成为暖岛KOC。一篇好的培训文案有四个核心要点：用户的痛点、成为暖岛KOC的优势、KOC如何帮用户解决问题、转化（附福利活动）。下面先讲每个要点怎么写，再给出一篇完整示例。

## 要点一：用户的痛点

先说出对方正在经历的困扰，让读者觉得“这说的就是我”。例如：孩子皮肤敏感，不知道该买什么；自己每天接送孩子，晒黑了也没时间补防晒；想在带娃之余有一点自己的收入。

## 要点二：成为暖岛KOC的优势

写清楚加入之后能得到什么：专属链接和优惠码、分享产生的佣金、系统的新手培训、晋级后的新品测评名额，以及一群同样关心家庭护理的伙伴。不要承诺具体收入。

## 要点三：KOC如何解决问题

说明你自己是怎么用暖岛产品解决问题的，再说明KOC可以怎样帮助身边的人：用真实经验给朋友选合适的产品，在群里回答问题，分享正确的用法。

## 要点四：转化（附福利活动）

最后给一个清晰的行动指引和福利，例如：本周加入并完成第一笔订单，可以领取一套暖岛旅行装；加入后 30 天内把自己的社群做到 20 人，领取 30 元红包。记得写明活动时间或名额限制。

## 完整示例

姐妹们，换季这几天，我家小朋友脸上又开始干得起皮，我自己接娃路上也晒得不行（痛点）。

去年我加入了暖岛KOC，最大的收获是：自己用的东西有人把关，分享出去的每一单还有佣金，新人还有专门的培训群带着学（优势）。

我给女儿用软芽婴儿润肤乳，洗完澡三分钟内涂上，干痒少了很多；自己出门涂晴空轻透防晒乳，不黏不泛白。朋友问我，我就把用法和注意事项一条条讲清楚（解决问题）。

这周想加入的朋友，私信我进【招募中】的培训群，完成第一笔订单就送一套暖岛旅行装，本期只招 30 人（转化）。 #暖岛合作

## 写作提醒

- 文案中不能出现“最”“第一”“根治”等广告法极限词，也不能写治疗效果。
- 产品信息以《暖岛产品手册》为准。
- 每条合作内容都要带 #暖岛合作。
"""

FAQ_TW_META = {
    "title": "暖島KOC常見問題（港台版）",
    "doc_type": "faq",
    "audience": "koc",
    "language": "zh-TW",
}
FAQ_TW_TEXT = """# 暖島KOC常見問題（港台版）

本文件提供給香港、台灣的暖島KOC參考。暖島是 2019 年在廈門創立的家庭護膚品牌，創辦人是設計師林晚舟。若本文件與簡體版規則有出入，以簡體版《暖島KOC計劃規則》為準。

## 等級與晉級

### 暖島KOC有哪些等級？
共有四個等級：新芽KOC、綻放KOC、星光KOC、燈塔KOC。參加一次分享活動即可成為新芽KOC。

### 晉級需要什麼條件？
所有指標都要同時達到，數據按累計值計算，系統每天評估一次：
- 綻放KOC：5 篇筆記、300 次互動、淨銷售額 ¥2,000、社群 20 人。
- 星光KOC：15 篇筆記、1,500 次互動、淨銷售額 ¥8,000、社群 80 人、粉絲 500 人。
- 燈塔KOC：40 篇筆記、6,000 次互動、淨銷售額 ¥30,000、社群 200 人、粉絲 2,000 人。
等級不會因為一段時間不活躍而降低。

### 各等級有什麼權益？
新芽KOC有專屬連結、優惠碼和培訓群；綻放KOC每月 1 個新品測評名額；星光KOC每月 2 個測評名額（含長青品體驗）及專屬優惠券池；燈塔KOC每月 3 個測評名額、社群管理權（保留所管理社群產生的佣金）以及年度KOC旅行。

## 佣金

### 佣金比例是多少？
防曬 15%、護膚 12%、母嬰洗護 10%、身體護理 10%、禮盒 8%。2026 新品晴空輕透防曬乳（NH-SUN-01）為 18%。

### 等級倍數是多少？
新芽KOC ×1.0、綻放KOC ×1.1、星光KOC ×1.2、燈塔KOC ×1.3。佣金 = 訂單金額 × 佣金比例 × 等級倍數，四捨五入到分。

### 佣金什麼時候到帳？
訂單付款後佣金先凍結 15 天（退款期），之後轉為可結算。每月 10 日結算上個月底前已解凍的佣金，打入微信錢包。

### 顧客退款怎麼辦？
全額退款會撤銷該訂單的全部佣金，部分退款按比例撤銷；已結算的佣金會從下一次結算中扣回。

## 月度銷售比賽

當月至少有 1 筆付款訂單就自動參賽，按當月淨銷售額排名：第 1 名 ¥1,000、第 2 名 ¥600、第 3 名 ¥300 現金獎金；第 4 至 10 名各得 ¥100 優惠券；當月淨銷售額達 ¥500 即可獲得電子證書。

## 測評規則

收到測評產品後 14 天內要提交測評。連續 3 次測評低於 60 分，暫停測評名額 90 天。逾期未提交、提醒一次後 7 天寬限期內仍未提交，將永久取消測評資格。

## 核心規則

不得向暖島的粉絲私下銷售其他品牌的產品，違者取消KOC資格，所有未結算佣金不予發放。

## 聯絡我們

請聯絡服務號「暖島KOC小助手」，或寄信至 ops@nuandao.example。
"""


# Brand terms that must stay one token in jieba (jieba userdict format: "term freq tag").
# Traditional forms are added automatically with OpenCC, so 繁體 text tokenises the same way.
DICTIONARY_TERMS: list[tuple[str, str]] = [
    ("暖岛", "nz"), ("Nuandao", "nz"), ("林晚舟", "nr"),
    ("暖岛分销小程序", "nz"), ("分销小程序", "n"), ("暖岛KOC小助手", "nz"), ("暖岛合作", "nz"),
    ("新芽KOC", "nz"), ("绽放KOC", "nz"), ("星光KOC", "nz"), ("灯塔KOC", "nz"),
    ("新芽", "nz"), ("绽放", "nz"), ("星光", "nz"), ("灯塔", "nz"),
    ("私域KOC", "n"), ("外部分销者", "n"), ("二级分销", "n"), ("推荐佣金", "n"),
    ("佣金比例", "n"), ("等级倍数", "n"), ("佣金倍数", "n"), ("净销售额", "n"), ("冻结期", "n"),
    ("结算日", "n"), ("专属链接", "n"), ("优惠码", "n"), ("专属优惠券池", "n"), ("销售比赛", "n"),
    ("新品测评", "n"), ("长青品体验", "n"), ("测评名额", "n"), ("社群管理权", "n"),
    ("年度KOC旅行", "n"), ("考核期", "n"), ("极限词", "n"), ("旅行装", "n"), ("会员卡", "n"),
    ("小红书", "nz"), ("抖音", "nz"), ("微信钱包", "n"),
    ("晴空轻透防晒乳", "nz"), ("小岛儿童物理防晒霜", "nz"), ("海盐舒缓保湿水", "nz"),
    ("燕麦修护面霜", "nz"), ("积雪草净痘精华", "nz"), ("米糠温和洁面乳", "nz"),
    ("软芽婴儿洗发沐浴二合一", "nz"), ("软芽婴儿润肤乳", "nz"), ("小暖屁屁护臀膏", "nz"),
    ("椰林身体乳", "nz"), ("柚香沐浴露", "nz"), ("山茶护手霜三支装", "nz"), ("山茶护手霜", "nz"),
    ("暖岛四季礼盒", "nz"), ("四季礼盒", "nz"),
    ("NH-SUN-01", "nz"), ("NH-SUN-02", "nz"), ("NH-SKN-01", "nz"), ("NH-SKN-02", "nz"),
    ("NH-SKN-03", "nz"), ("NH-SKN-04", "nz"), ("NH-BAB-01", "nz"), ("NH-BAB-02", "nz"),
    ("NH-BAB-03", "nz"), ("NH-BOD-01", "nz"), ("NH-BOD-02", "nz"), ("NH-BOD-03", "nz"),
    ("NH-GFT-01", "nz"),
]
DICTIONARY_FREQ = 20000


def render_dictionary(terms: list[tuple[str, str]]) -> bytes:
    """One ``term freq tag`` line per term, Simplified first, then its Traditional form if it differs."""
    import opencc

    to_traditional = opencc.OpenCC("s2t")
    lines: list[str] = []
    seen: set[str] = set()
    for term, tag in terms:
        for form in (term, to_traditional.convert(term)):
            if form not in seen:
                seen.add(form)
                lines.append(f"{form} {DICTIONARY_FREQ} {tag}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def render_docx(title: str, sections: list[Section]) -> bytes:
    """Render sections with real Word heading styles, so a loader can recover the heading path."""
    from docx import Document

    doc = Document()
    props = doc.core_properties
    props.title = title
    props.author = "暖岛运营部"
    props.created = FIXED_TIME
    props.modified = FIXED_TIME
    props.last_modified_by = "暖岛运营部"
    props.revision = 1
    doc.add_heading(title, level=0)
    for level, heading, blocks in sections:
        doc.add_heading(heading, level=level)
        for block in blocks:
            if isinstance(block, str):
                doc.add_paragraph(block)
            elif block and isinstance(block[0], list):
                table = doc.add_table(rows=0, cols=len(block[0]))
                table.style = "Table Grid"
                for row in block:
                    cells = table.add_row().cells
                    for cell, value in zip(cells, row, strict=True):
                        cell.text = value
            else:
                for item in block:
                    doc.add_paragraph(item, style="List Bullet")
    buf = io.BytesIO()
    doc.save(buf)
    return _normalise_zip(buf.getvalue())


def _normalise_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed entry times so the same content always gives the same bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def meta_yaml(meta: dict[str, str]) -> bytes:
    return yaml.safe_dump(meta, allow_unicode=True, sort_keys=False).encode("utf-8")


def build_all() -> dict[str, bytes]:
    """Every generated file name → its bytes (documents and their sidecars)."""
    files = {
        "commission-policy.docx": (render_docx(COMMISSION_META["title"], COMMISSION_SECTIONS), COMMISSION_META),
        "recruitment-poster-guidelines.pdf": (render_pdf(POSTER_META["title"], POSTER_SECTIONS, author="暖岛运营部"), POSTER_META),
        "training-copy-template.txt": (TRAINING_TEXT.encode("gbk"), TRAINING_META),
        "faq-zh-tw.txt": (FAQ_TW_TEXT.encode("big5"), FAQ_TW_META),
    }
    out: dict[str, bytes] = {}
    for name, (data, meta) in files.items():
        out[name] = data
        out[f"{name}.meta.yaml"] = meta_yaml(meta)
    out["dictionary.txt"] = render_dictionary(DICTIONARY_TERMS)
    return out


def write_if_changed(path: Path, data: bytes) -> bool:
    if path.exists() and path.read_bytes() == data:
        return False
    path.write_bytes(data)
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=SAMPLES_DIR, help="output directory")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for name, data in build_all().items():
        changed = write_if_changed(args.out / name, data)
        print(f"{'wrote' if changed else 'unchanged'} {name}")


if __name__ == "__main__":
    main()
