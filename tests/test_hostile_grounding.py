"""A careless, confused or manipulated model: each scripted answer below is wrong in one
way, and nothing wrong may reach the report (issue 11). Each case also carries one
correct item, which must survive."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import zsextract
from zsextract.testing import FakeOpenAIServer, chat_completion

from .conftest import extract_answered

ARTICLE = (
    "梧州市招商引资工作综述\n"
    "1至7月，全市新签项目157个，到位资金484.5亿元，同比增长18.9%。\n"
    "其中，龙圩区新签项目9个，万秀区新签项目9个。\n"
    "全市实行“一月一调度、一季一通报”，推行“26211”机制，签约后2个月内注册、6个月内开工。\n"
    "6月30日，华锐新能源年产20GWh储能电池项目开工，总投资45亿元。"
)
GOOD = {"name": "新签项目", "quote": "全市新签项目157个", "value": 157, "unit": "count"}


def _run(tmp_path: Path, answer: dict[str, Any]) -> zsextract.PromotionReport:
    answer = {"metrics": [GOOD], **answer} if "metrics" not in answer else answer
    return extract_answered(ARTICLE, answer, tmp_path)


def _metric(**fields: Any) -> dict[str, Any]:
    return {"unit": "CNY", **fields}


CASES = {
    "a whole paragraph as the quote grounds another sentence's number": {
        "metrics": [
            GOOD,
            _metric(name="到位资金", quote=ARTICLE, value=4500000000),
        ]
    },
    "a number of the same sentence given to another name": {
        "metrics": [
            GOOD,
            _metric(
                name="到位资金",
                quote="新签项目157个，到位资金484.5亿元",
                value=18.9,
                unit="percent",
            ),
            {
                "name": "到位资金",
                "quote": "全市新签项目157个，到位资金",
                "value": 157,
                "unit": "count",
            },
        ]
    },
    "an invented period": {
        "metrics": [
            GOOD,
            _metric(
                name="到位资金", quote="到位资金484.5亿元", value=48450000000, period="2099年全年"
            ),
        ]
    },
    "an invented subject": {
        "metrics": [
            GOOD,
            {
                "name": "新签项目",
                "quote": "龙圩区新签项目9个",
                "value": 9,
                "unit": "count",
                "subject": "火星区",
            },
        ]
    },
    "a region the article never names": {"region": "火星市"},
    "a project name that is not in its quote": {
        "projects": [{"name": "特斯拉超级工厂", "quote": "项目", "status": "started"}]
    },
    "a mechanism quoted by a function word": {
        "mechanisms": [{"code": "leader_led", "quote": "的"}]
    },
    "an invented mechanism code": {"mechanisms": [{"code": "bribery", "quote": "一月一调度"}]},
    "deadline months swapped between stages": {
        "timelines": [
            {
                "kind": "deadline",
                "code": "26211",
                "quote": "签约后2个月内注册、6个月内开工",
                "stages": [
                    {"from_event": "签约", "to_event": "注册", "months": 6},
                    {"from_event": "签约", "to_event": "开工", "months": 2},
                ],
            }
        ]
    },
    "a project status the text does not say": {
        "projects": [
            {
                "name": "华锐新能源年产20GWh储能电池项目",
                "quote": "华锐新能源年产20GWh储能电池项目开工",
                "status": "producing",
            }
        ]
    },
    "a cadence read from a date": {
        "timelines": [
            {
                "kind": "cadence",
                "quote": "6月30日，华锐新能源年产20GWh储能电池项目开工",
                "stages": [{"to_event": "开工", "every_months": 1}],
            }
        ]
    },
    "a mechanism quote that describes another practice": {
        "mechanisms": [{"code": "overseas", "quote": "全市实行“一月一调度、一季一通报”"}]
    },
    "a project amount from another sentence": {
        "projects": [
            {
                "name": "华锐新能源年产20GWh储能电池项目",
                "quote": "华锐新能源年产20GWh储能电池项目开工",
                "amount_quote": "到位资金484.5亿元",
            }
        ]
    },
    "project fields the text does not say": {
        "projects": [
            {
                "name": "华锐新能源年产20GWh储能电池项目",
                "quote": "华锐新能源年产20GWh储能电池项目开工",
                "investor": "特斯拉",
                "industry": "生物医药",
                "location": "火星区",
            }
        ]
    },
}

WRONG = {
    "a whole paragraph as the quote grounds another sentence's number": lambda r: any(
        m.quantity.value == 4500000000 for m in r.metrics
    ),
    "a number of the same sentence given to another name": lambda r: any(
        m.name == "到位资金" for m in r.metrics
    ),
    "an invented period": lambda r: any(m.period and "2099" in m.period for m in r.metrics),
    "an invented subject": lambda r: any(m.subject == "火星区" for m in r.metrics),
    "a region the article never names": lambda r: r.region == "火星市",
    "a project name that is not in its quote": lambda r: bool(r.projects),
    "a mechanism quoted by a function word": lambda r: bool(r.mechanisms),
    "an invented mechanism code": lambda r: bool(r.mechanisms),
    "deadline months swapped between stages": lambda r: bool(r.timelines),
    "a cadence read from a date": lambda r: bool(r.timelines),
    "a project status the text does not say": lambda r: any(
        p.status == "producing" for p in r.projects
    ),
    "a mechanism quote that describes another practice": lambda r: bool(r.mechanisms),
    "a project amount from another sentence": lambda r: any(
        p.investment is not None and p.investment.value == 48450000000 for p in r.projects
    ),
    "project fields the text does not say": lambda r: any(
        p.investor or p.industry or p.location for p in r.projects
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_nothing_wrong_reaches_the_report(tmp_path: Path, case: str) -> None:
    report = _run(tmp_path, CASES[case])
    assert not WRONG[case](report), report.model_dump(mode="json")
    assert [m.quantity.value for m in report.metrics if m.name == "新签项目"][:1] == [157]
    assert report.provenance.dropped  # what was left out is named


def test_a_project_with_the_status_its_sentence_says_is_kept(tmp_path: Path) -> None:
    name = "华锐新能源年产20GWh储能电池项目"
    report = _run(
        tmp_path,
        {"projects": [{"name": name, "quote": f"{name}开工", "status": "started"}]},
    )
    assert [(p.name, p.status) for p in report.projects] == [(name, "started")]


def test_the_same_short_quote_goes_to_its_own_district(tmp_path: Path) -> None:
    report = _run(
        tmp_path,
        {
            "metrics": [
                {
                    "name": "新签项目",
                    "quote": "新签项目9个",
                    "value": 9,
                    "unit": "count",
                    "subject": "万秀区",
                },
                {
                    "name": "新签项目",
                    "quote": "新签项目9个",
                    "value": 9,
                    "unit": "count",
                    "subject": "龙圩区",
                },
            ]
        },
    )
    starts = {m.subject: m.evidence.start for m in report.metrics}
    assert starts["龙圩区"] == ARTICLE.index("龙圩区新签项目9个") + 3
    assert starts["万秀区"] == ARTICLE.index("万秀区新签项目9个") + 3


def test_a_project_keeps_what_its_sentence_says_and_loses_only_the_rest(tmp_path: Path) -> None:
    """A field the text does not say is left out (and named in provenance.dropped); the
    project and its supported fields stay."""
    name = "华锐新能源年产20GWh储能电池项目"
    report = _run(
        tmp_path,
        {
            "projects": [
                {
                    "name": name,
                    "quote": f"{name}开工",
                    "status": "started",
                    "investor": "特斯拉",
                    "amount_quote": "总投资45亿元",
                }
            ]
        },
    )
    [project] = report.projects
    assert (project.name, project.status, project.investor) == (name, "started", None)
    assert project.investment is not None and project.investment.value == 4500000000
    assert any("特斯拉" in d for d in report.provenance.dropped)


def test_a_mechanism_accepted_on_length_alone_says_so(tmp_path: Path) -> None:
    described = "全市实行“一月一调度、一季一通报”"
    unnamed = "梧州市招商引资工作综述"  # long enough, names no practice, no figures
    report = _run(
        tmp_path,
        {
            "mechanisms": [
                {"code": "assessment", "quote": described},
                {"code": "project_service", "quote": unnamed},
            ]
        },
    )
    assert [(m.code, m.verified) for m in report.mechanisms] == [
        ("assessment", True),
        ("project_service", False),
    ]


def test_a_period_with_its_year_from_the_publish_date(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """1至7月 in an article published in 2024 may be answered 2024年1至7月 (the prompt
    asks for it); another year is left out, and named in provenance.dropped, also when
    the stored answer is grounded again offline."""
    metric = {"name": "到位资金", "quote": "到位资金484.5亿元", "value": 48450000000, "unit": "CNY"}
    answer = {"metrics": [GOOD | {"period": "2024年1至7月"}, metric | {"period": "2023年1至7月"}]}
    reply = json.dumps(answer, ensure_ascii=False)
    with FakeOpenAIServer(
        lambda r: chat_completion(tool_arguments=reply, tool_name="LLMExtraction")
    ) as server:
        options = {
            "backend": "llm",
            "base_url": server.base_url,
            "model": "m",
            "cache_dir": str(tmp_path),
            "on_ungrounded": "drop",
            "repair_attempts": 0,
            "metadata": {"publish_date": "2024-08-20"},
        }
        report = zsextract.extract(ARTICLE, **options)
        monkeypatch.setattr("zsextract.llm.backend.GROUNDING_VERSION", "changed")
        again = zsextract.extract(ARTICLE, **options)
        assert len(server.requests) == 1
    assert [(m.name, m.period) for m in report.metrics] == [
        ("新签项目", "2024年1至7月"),
        # the model's wrong year is dropped; the article's stated period (its lead's
        # 1至7月) then dates the figure, as for any metric without a period of its own
        ("到位资金", "2024年1至7月"),
    ]
    assert again.provenance.cache == "reparsed"
    assert again.provenance.dropped == report.provenance.dropped
    assert any("2023年1至7月" in d for d in report.provenance.dropped)
