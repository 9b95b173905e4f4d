"""Reusable topic patterns: the angles KOC content is built on (开箱, 对比, 教程, 避坑, 清单 …),
each with title, hook and outline templates that take a product, an audience and handbook facts.

The templates are generic copywriting forms, not any brand's or any category's wording (no texture,
dosage or ingredient list, which a toy or an appliance does not have); everything specific comes
from the request and the handbooks. Title templates are tried in order and the first that fits the
platform's limit is used, so a long product name falls back to a shorter form instead of breaking
the rule. No template contains a word the compliance rules forbid (a test checks every one).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TopicPattern:
    angle: str
    titles: tuple[str, ...]
    hook: str
    outline: tuple[str, ...]
    video_first: bool = False  # on 小红书, better as a short video than as 图文

    def formats(self) -> tuple[str, ...]:
        return ("短视频",) if self.video_first else ("图文",)


#: {p} product (short name), {a} audience, {c} campaign; {f1}/{f2} handbook facts in the outline
PATTERNS: tuple[TopicPattern, ...] = (
    TopicPattern("开箱", ("{a}开箱{p}：细节实拍", "开箱{p}：到手实拍", "{p}开箱实拍"),
                 "到手先拍包装和细节，{a}关心的地方一次看清。",
                 ("开场：拆箱实拍，说明自己是{a}", "产品信息：{f1}", "上手：外观细节和初次使用的感受", "结尾：优惠码与合作标注")),
    TopicPattern("教程", ("{p}怎么用？{a}三步讲清", "{p}三步用法", "{p}用法教程"),
                 "很多人问怎么用，三步讲清楚。",
                 ("第一步：{f1}", "第二步：日常怎么用更顺手", "第三步：{f2}", "结尾：优惠码与合作标注"), video_first=True),
    TopicPattern("避坑", ("用{p}前，{a}先看这几点", "{p}避坑：这几点要知道", "{p}避坑提醒"),
                 "用之前先知道这几点，少走弯路。",
                 ("开场：身边人常犯的用法错误", "要点：{f1}", "提醒：{f2}", "结尾：适合谁、要注意什么，以产品说明为准")),
    TopicPattern("清单", ("{a}的{c}清单：{p}", "{c}清单：{p}", "{p}入清单"),
                 "这份清单是我自己在用的，按场景排好了。",
                 ("开场：这个阶段的真实需求", "清单里的{p}：{f1}", "搭配：和其他日常用品怎么配", "结尾：优惠码与合作标注")),
    TopicPattern("对比", ("{p}两种场景对比", "{p}两种用法对比", "{p}用法对比"),
                 "同一款产品，不同场景用起来有什么不一样？",
                 ("场景一：{f1}", "场景二：{f2}", "对比结论：按自己的需求选用法", "结尾：优惠码与合作标注"), video_first=True),
    TopicPattern("真实记录", ("{a}连用{p}两周的记录", "{p}两周使用记录", "{p}使用日记"),
                 "不夸大，只记录自己两周里的真实感受。",
                 ("开场：为什么开始用", "产品信息：{f1}", "每周记录：感受和变化（只写自己的体验）", "结尾：只是个人体验，仅供参考")),
    TopicPattern("问答", ("关于{p}，{a}常问的问题", "{p}常见问题答疑", "{p}问答"),
                 "评论区问得多的问题，这次集中回答。",
                 ("问题一：{f1}", "问题二：{f2}", "问题三：适合谁、不适合谁", "结尾：拿不准的问题先问客服")),
    TopicPattern("细节解读", ("读懂{p}的产品说明", "{p}说明一起看", "{p}细节解读"),
                 "产品说明不难读，挑重点讲给{a}听。",
                 ("开场：我买东西先看说明的习惯", "重点信息：{f1}", "补充：{f2}", "结尾：产品信息以官方手册为准")),
    TopicPattern("场景", ("{c}出门，我带上{p}", "{c}场景：{p}", "带上{p}"),
                 "把产品放回真实生活场景里，看看它怎么帮上忙。",
                 ("场景开场：{c}的一天", "用在哪里：{f1}", "小细节：{f2}", "结尾：优惠码与合作标注"), video_first=True),
    TopicPattern("新手入门", ("{a}新手入门：{p}", "新手用{p}指南", "{p}新手指南"),
                 "第一次接触也不用慌，从这几件事开始。",
                 ("开场：新手常见的顾虑", "先了解：{f1}", "再上手：{f2}", "结尾：优惠码与合作标注")),
    TopicPattern("好物分享", ("{a}的好物分享：{p}", "我的好物：{p}", "{p}分享"),
                 "最近在用、愿意分享给朋友的一款。",
                 ("开场：自己的使用场景", "亮点：{f1}", "感受：只写自己的真实体验", "结尾：优惠码与合作标注")),
    TopicPattern("故事", ("{p}背后的故事", "{p}是怎么来的", "{p}的故事"),
                 "一款产品从哪里来，比参数更能打动人。",
                 ("开场：我为什么关注它", "背景：{f1}", "细节：{f2}", "结尾：优惠码与合作标注")),
)

#: how a topic is posted on each platform
PLATFORM_FORMAT = {"douyin": "短视频", "wechat": "群发"}
