"""Scripted wrong answers of the hostile review of issue 11 (written for this project)."""

from . import ARTICLE_A, attack

A = ARTICLE_A

attack(
    "C1 candidate mode: 到位资金 candidate named 新签约项目, invented period/subject/scope",
    A,
    {
        "metrics": [
            {
                "candidate": "Q3",
                "name": "新签约项目",
                "period": "2099年全年",
                "subject": "火星区",
                "scope": "其中外资",
            }
        ]
    },
    lambda r: any(
        m.name == "新签约项目" or m.period == "2099年全年" or m.subject == "火星区"
        for m in r.metrics
    ),
    tool="CandidateExtraction",
    candidates=True,
)

attack(
    "C2 candidate mode: project amount is another project's/the citywide total",
    A,
    {
        "projects": [
            {
                "name": "冷链物流园项目",
                "quote": "星海公司投资的冷链物流园项目落户融水区",
                "amount_candidate": "Q3",
            }
        ]
    },
    lambda r: any(p.investment for p in r.projects),
    tool="CandidateExtraction",
    candidates=True,
)

attack(
    "C3 candidate mode: project amount_candidate = 30亿 of the other project",
    A,
    {
        "projects": [
            {
                "name": "冷链物流园项目",
                "quote": "星海公司投资的冷链物流园项目落户融水区",
                "amount_candidate": "Q8",
            }
        ]
    },
    lambda r: any(p.investment for p in r.projects),
    tool="CandidateExtraction",
    candidates=True,
)

T = (
    "柳江市优化项目服务\n"
    "全市推行“3618”机制，项目签约后3个月内完成注册、6个月内开工、18个月内投产。\n"
    "园区项目签约后2个月内注册，随后开工建设。\n"
    "坚持一月一调度，每季度召开一次推进会。"
)

attack(
    "D1 deadline from_event invented (拿地 instead of 签约)",
    T,
    {
        "timelines": [
            {
                "kind": "deadline",
                "code": "3618",
                "quote": "项目签约后3个月内完成注册、6个月内开工、18个月内投产",
                "stages": [{"from_event": "拿地", "to_event": "注册", "months": 3}],
            }
        ]
    },
    lambda r: any(s.from_event == "拿地" for t in r.timelines for s in t.stages),
)

attack(
    "D2 deadline code invented (26211 for the 3618 rule)",
    T,
    {
        "timelines": [
            {
                "kind": "deadline",
                "code": "26211",
                "quote": "项目签约后3个月内完成注册、6个月内开工、18个月内投产",
                "stages": [{"from_event": "签约", "to_event": "注册", "months": 3}],
            }
        ]
    },
    lambda r: any(t.code == "26211" for t in r.timelines),
)

attack(
    "D3 cadence stage given another event (签约 every month)",
    T,
    {
        "timelines": [
            {
                "kind": "cadence",
                "quote": "坚持一月一调度",
                "stages": [{"to_event": "签约", "every_months": 1}],
            }
        ]
    },
    lambda r: any(s.to_event == "签约" for t in r.timelines for s in t.stages),
)

attack(
    "D4 merged to_event '注册、开工' 3 months",
    T,
    {
        "timelines": [
            {
                "kind": "deadline",
                "quote": "项目签约后3个月内完成注册、6个月内开工、18个月内投产",
                "stages": [{"from_event": "签约", "to_event": "注册、开工", "months": 3}],
            }
        ]
    },
    lambda r: any(
        "开工" in s.to_event and s.months is not None and float(s.months) == 3
        for t in r.timelines
        for s in t.stages
    ),
)

attack(
    "D5 empty to_event with any number",
    T,
    {
        "timelines": [
            {
                "kind": "deadline",
                "quote": "项目签约后3个月内完成注册、6个月内开工、18个月内投产",
                "stages": [{"from_event": "签约", "to_event": "", "months": 18}],
            }
        ]
    },
    lambda r: any(s.to_event == "" for t in r.timelines for s in t.stages),
)

attack(
    "D6 开工 given the 2 months stated for 注册 (开工 has no deadline)",
    T,
    {
        "timelines": [
            {
                "kind": "deadline",
                "quote": "园区项目签约后2个月内注册，随后开工建设",
                "stages": [{"from_event": "签约", "to_event": "开工", "months": 2}],
            }
        ]
    },
    lambda r: any(
        s.to_event == "开工" and s.months is not None and float(s.months) == 2
        for t in r.timelines
        for s in t.stages
    ),
)

attack(
    "D7 cadence 1 month for the quarterly meeting (quote spans both)",
    T,
    {
        "timelines": [
            {
                "kind": "cadence",
                "quote": "坚持一月一调度，每季度召开一次推进会",
                "stages": [{"to_event": "推进会", "every_months": 1}],
            }
        ]
    },
    lambda r: any(
        s.to_event == "推进会" and s.every_months is not None and float(s.every_months) == 1
        for t in r.timelines
        for s in t.stages
    ),
)

attack(
    "D8 to_event 工 substring",
    T,
    {
        "timelines": [
            {
                "kind": "deadline",
                "quote": "项目签约后3个月内完成注册、6个月内开工、18个月内投产",
                "stages": [{"from_event": "签约", "to_event": "工", "months": 6}],
            }
        ]
    },
    lambda r: any(s.to_event == "工" for t in r.timelines for s in t.stages),
)

M = (
    "柳江市招商工作\n"
    "全市新签约项目88个，到位资金212.6亿元，同比增长12.4%。\n"
    "市委书记、市长带队赴深圳开展招商活动，拜访企业30家。\n"
    "全市设立50亿元产业引导基金。"
)
attack(
    "E1 unnamed 8+ char description of anything accepted as a mechanism (verified false)",
    M,
    {"mechanisms": [{"code": "overseas", "quote": "全市新签约项目88个，到位资金212.6亿元"}]},
    lambda r: bool(r.mechanisms),
)
attack(
    "E2 mechanism code capital_fund quoted by leader-led sentence",
    M,
    {
        "mechanisms": [
            {"code": "talent", "quote": "市委书记、市长带队赴深圳开展招商活动，拜访企业30家"}
        ]
    },
    lambda r: bool(r.mechanisms),
)
attack(
    "E3 whole article as mechanism quote (evidence points everywhere)",
    M,
    {"mechanisms": [{"code": "capital_fund", "quote": M}]},
    lambda r: any(len(m.evidence.quote) > 60 for m in r.mechanisms),
)
