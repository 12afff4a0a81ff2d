"""Scripted wrong answers of the hostile review of issue 11 (written for this project)."""

from . import ARTICLE_A, attack

A = ARTICLE_A
attack(
    "H1b value Infinity passes the value check: 亿元以上项目 gets the first count (88)",
    A,
    {
        "metrics": [
            {
                "name": "亿元以上项目",
                "quote": "新签约项目88个，其中亿元以上项目31个",
                "value": float("inf"),
                "unit": "count",
            }
        ]
    },
    lambda r: any(m.name == "亿元以上项目" and float(m.quantity.value) == 88 for m in r.metrics),
)
attack(
    "H1c value Infinity for CNY: 到位资金 with a CNY quote",
    A,
    {
        "metrics": [
            {
                "name": "投资",
                "quote": "到位资金212.6亿元，同比增长12.4%。\n上半年，全市开工项目40个",
                "value": float("inf"),
                "unit": "CNY",
            }
        ]
    },
    lambda r: bool(r.metrics),
)
