"""Scripted wrong answers of the hostile review of issue 11 (written for this project)."""

from . import ARTICLE_A, attack

A = ARTICLE_A
attack(
    "H1 value -Infinity matches any number of the unit (12.4% given to 到位资金)",
    A,
    {
        "metrics": [
            {
                "name": "到位资金",
                "quote": "到位资金212.6亿元，同比增长12.4%",
                "value": float("-inf"),
                "unit": "percent",
            }
        ]
    },
    lambda r: any(m.name == "到位资金" and m.quantity.unit == "percent" for m in r.metrics),
)
N = (
    "柳江市招商工作\n"
    "目前本市尚未开展以商招商，也未设立产业基金。\n"
    "冷链物流园项目尚未开工，原定的“一月一调度”机制已停止执行。\n"
    "远东纺织项目总投资5亿元，注册资本1亿元，达产后年产值50亿元。"
)
attack(
    "H2 mechanism from a sentence that says it is NOT done",
    N,
    {"mechanisms": [{"code": "business_referral", "quote": "目前本市尚未开展以商招商"}]},
    lambda r: bool(r.mechanisms),
)
attack(
    "H3 project status 'started' from 尚未开工",
    N,
    {
        "projects": [
            {"name": "冷链物流园项目", "quote": "冷链物流园项目尚未开工", "status": "started"}
        ]
    },
    lambda r: any(p.status == "started" for p in r.projects),
)
attack(
    "H4 cadence from a rule that was stopped",
    N,
    {
        "timelines": [
            {
                "kind": "cadence",
                "quote": "原定的“一月一调度”机制已停止执行",
                "stages": [{"to_event": "调度", "every_months": 1}],
            }
        ]
    },
    lambda r: bool(r.timelines),
)
attack(
    "H5 project investment = registered capital",
    N,
    {
        "projects": [
            {
                "name": "远东纺织项目",
                "quote": "远东纺织项目总投资5亿元",
                "amount_quote": "注册资本1亿元",
            }
        ]
    },
    lambda r: any(p.investment and float(p.investment.value) == 1e8 for p in r.projects),
)
attack(
    "H6 project investment = annual output value",
    N,
    {
        "projects": [
            {
                "name": "远东纺织项目",
                "quote": "远东纺织项目总投资5亿元",
                "amount_quote": "达产后年产值50亿元",
            }
        ]
    },
    lambda r: any(p.investment and float(p.investment.value) == 5e9 for p in r.projects),
)
attack(
    "H7 subject as a list of two districts on one district's number",
    A,
    {
        "metrics": [
            {
                "name": "新签约项目",
                "quote": "鹿寨区新签约项目12个",
                "value": 12,
                "unit": "count",
                "subject": "鹿寨区、融水区",
            }
        ]
    },
    lambda r: any(m.subject == "鹿寨区、融水区" for m in r.metrics),
)
attack(
    "H8 region as a list (柳江市、深圳市-style) ",
    A,
    {"region": "柳江市、鹿寨区"},
    lambda r: r.region == "柳江市、鹿寨区",
)
E = "柳江市招商工作\n市领导参加了在南宁举办的招商会。\n1至9月，全市新签约项目88个。"
attack(
    "H9 period '招商会期间' read from a mere mention of 招商会",
    E,
    {
        "metrics": [
            {
                "name": "新签约项目",
                "quote": "全市新签约项目88个",
                "value": 88,
                "unit": "count",
                "period": "招商会期间",
            }
        ]
    },
    lambda r: any(m.period == "招商会期间" for m in r.metrics),
)
