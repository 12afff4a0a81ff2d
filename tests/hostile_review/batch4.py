"""Odd answers that must give a report or a zsextract error, never a crash."""

import json

from . import crash as raw

M = '{"name":"新签约项目","quote":"全市新签约项目88个","unit":"count","value":%s}'
for v in ["NaN", "Infinity", "-Infinity", "1e308", "-88", "0", "88.0000001", "1e-320"]:
    raw("metric value " + v, '{"metrics":[%s]}' % (M % v))
raw(
    "empty strings everywhere",
    json.dumps(
        {
            "region": "",
            "period": "",
            "metrics": [{"name": "", "quote": "", "value": 0, "unit": "count"}],
            "mechanisms": [{"code": "", "quote": ""}],
            "timelines": [{"kind": "deadline", "quote": "", "stages": [{"to_event": ""}]}],
            "projects": [
                {"name": "", "quote": "", "amount_quote": "", "investor": "", "status": None}
            ],
        },
        ensure_ascii=False,
    ),
)
raw(
    "very long quote (200k chars)",
    json.dumps(
        {
            "metrics": [
                {
                    "name": "新签约项目",
                    "quote": "全市新签约项目88个" * 20000,
                    "value": 88,
                    "unit": "count",
                }
            ],
            "mechanisms": [{"code": "targeted", "quote": "招" * 200000}],
        },
        ensure_ascii=False,
    ),
)
raw(
    "lone surrogate in quote and name",
    '{"metrics":[{"name":"\\ud800新签约项目","quote":"全市新签约项目88个\\udfff","value":88,"unit":"count"}],"projects":[{"name":"\\ud83d","quote":"\\ud83d"}]}',
)
raw(
    "zero-width / combining / RTL chars",
    json.dumps(
        {
            "region": "柳江\u200d市",
            "metrics": [
                {
                    "name": "新\u0301签约项目",
                    "quote": "全市新签约\u200b项目88个",
                    "value": 88,
                    "unit": "count",
                }
            ],
            "projects": [{"name": "\u202e冷链物流园项目", "quote": "冷链物流园项目落户融水区"}],
        },
        ensure_ascii=False,
    ),
)
raw(
    "fullwidth digits in quote",
    json.dumps(
        {
            "metrics": [
                {
                    "name": "新签约项目",
                    "quote": "全市新签约项目８８个",
                    "value": 88,
                    "unit": "count",
                }
            ]
        },
        ensure_ascii=False,
    ),
)
T = "柳江市\n项目签约后3个月内完成注册、6个月内开工。坚持一月一调度。"
for v in ["NaN", "Infinity", "-3", "0", "1e308"]:
    raw(
        "timeline months " + v,
        '{"timelines":[{"kind":"deadline","quote":"项目签约后3个月内完成注册、6个月内开工","stages":[{"from_event":"签约","to_event":"","months":%s}]}]}'
        % v,
        article=T,
    )
    raw(
        "cadence every_months " + v,
        '{"timelines":[{"kind":"cadence","quote":"坚持一月一调度","stages":[{"to_event":"调度","every_months":%s}]}]}'
        % v,
        article=T,
    )
raw(
    "timeline with no stages",
    '{"timelines":[{"kind":"deadline","quote":"6个月内开工","stages":[]}]}',
    article=T,
)
raw(
    "huge number in article",
    '{"metrics":[{"name":"到位资金","quote":"到位资金99999999999999999999999999亿元","unit":"CNY","value":9.9999999999999999e33}]}',
    article="柳江市\n全市到位资金99999999999999999999999999亿元。",
)
raw(
    "huge months in article",
    '{"timelines":[{"kind":"deadline","quote":"签约后99999999999999999999个月内开工","stages":[{"to_event":"开工","months":1e20}]}]}',
    article="柳江市\n项目签约后99999999999999999999个月内开工。",
)
raw(
    "candidate id odd",
    '{"metrics":[{"candidate":"Q0","name":"x"},{"candidate":"","name":"y"},{"candidate":"Q999999999999","name":"z"}],"projects":[{"name":"冷链物流园项目","quote":"冷链物流园项目","amount_candidate":"Q-1"}]}',
    tool="CandidateExtraction",
    candidates=True,
)
raw(
    "status not in enum",
    '{"projects":[{"name":"冷链物流园项目","quote":"冷链物流园项目","status":"bankrupt"}]}',
)
raw("metrics is null", '{"metrics":null}')
raw("answer is a list", "[1,2]")
raw(
    "unknown unit",
    '{"metrics":[{"name":"新签约项目","quote":"全市新签约项目88个","value":88,"unit":"bananas"}]}',
)
