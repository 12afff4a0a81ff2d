from __future__ import annotations

import json
from decimal import Decimal

import pytest
from pydantic import ValidationError

import zsextract
from zsextract import (
    Evidence,
    Mechanism,
    Metric,
    PromotionReport,
    Source,
    Timeline,
    TimelineStage,
    parse_quantity,
)
from zsextract.report.json_schema import json_schemas, render_schema

from .conftest import ROOT, SHARED, needs_shared

TEXT = "1至7月，新签项目157个，到位资金484.5億元，实行“26211”机制，签约后2个月内注册。"


def _ev(quote: str) -> Evidence:
    start = TEXT.index(quote)
    return Evidence(quote=quote, start=start, end=start + len(quote))


def _report() -> PromotionReport:
    return PromotionReport(
        region="某市",
        source=Source(text=TEXT, path="x/doc_001.txt"),
        metrics=[
            Metric(
                name="新签项目",
                category="projects",
                quantity=parse_quantity("157个"),
                period="1至7月",
                evidence=_ev("157个"),
            ),
            Metric(
                name="到位资金",
                category="funds_in_place",
                quantity=parse_quantity("484.5億元"),
                period="1至7月",
                evidence=_ev("484.5億元"),
            ),
        ],
        mechanisms=[Mechanism(code="leader_led", evidence=_ev("新签项目"))],
        timelines=[
            Timeline(
                kind="deadline",
                code="26211",
                stages=[TimelineStage(**{"from": "签约", "to": "注册", "months": 2})],
                evidence=_ev("签约后2个月内注册"),
            )
        ],
    )


def test_report_round_trips_through_json() -> None:
    report = _report()
    data = json.loads(report.model_dump_json(by_alias=True))
    assert data["metrics"][1]["quantity"]["value"] == 48450000000
    assert data["timelines"][0]["stages"][0] == {
        "from": "签约",
        "to": "注册",
        "months": 2,
        "every_months": None,
    }
    again = PromotionReport.model_validate(data)
    assert again.metrics[1].quantity.value == Decimal("48450000000")
    assert again.mechanisms[0].label == "一把手招商"


def test_to_gold_follows_gold_md() -> None:
    gold = _report().to_gold()
    assert gold["doc"] == "doc_001.txt"
    assert gold["metrics"][1] == {
        "name": "到位资金",
        "value": 48450000000,
        "unit": "CNY",
        "qualifier": "exact",
        "period": "1至7月",
        "quote": "484.5億元",
        # the dates of the period (this project's extension of GOLD.md): none known here
        "period_start": None,
        "period_end": None,
        "as_of": None,
    }
    assert gold["mechanisms"] == ["leader_led"]
    assert gold["timelines"][0]["stages"] == [{"from": "签约", "to": "注册", "months": 2}]
    zsextract.GoldDoc.model_validate(gold)


def test_evidence_must_match_source_text() -> None:
    with pytest.raises(ValidationError, match=r"not source\.text"):
        PromotionReport(
            source=Source(text=TEXT),
            metrics=[
                Metric(
                    name="x",
                    quantity=parse_quantity("157个"),
                    evidence=Evidence(quote="157个", start=0, end=4),
                )
            ],
        )


def test_unknown_codes_are_refused_with_the_known_ones() -> None:
    with pytest.raises(ValidationError, match="leader_led"):
        Mechanism(code="bribery", evidence=_ev("157个"))
    with pytest.raises(ValidationError, match="unknown metric category"):
        Metric(name="x", category="nope", quantity=parse_quantity("157个"), evidence=_ev("157个"))


def test_timeline_stages_need_their_number() -> None:
    with pytest.raises(ValidationError, match="every_months"):
        Timeline(
            kind="cadence",
            stages=[TimelineStage(**{"to": "调度", "months": 1})],
            evidence=_ev("157个"),
        )


def test_evidence_end_before_start_is_refused() -> None:
    with pytest.raises(ValidationError, match="before start"):
        Evidence(quote="", start=5, end=2)


@needs_shared
def test_taxonomy_is_the_projects_own_copy_of_the_shared_codes() -> None:
    shared = json.loads((SHARED / "eval" / "taxonomy.json").read_text("utf-8"))
    codes = zsextract.mechanism_codes()
    assert codes == {m["code"]: m["zh"] for m in shared["mechanisms"]}


@pytest.mark.parametrize("name", sorted(json_schemas()))
def test_schema_files_do_not_drift(name: str) -> None:
    path = ROOT / "schemas" / name
    assert path.is_file(), "run: zsextract schema --write schemas/"
    assert path.read_text("utf-8") == render_schema(json_schemas()[name]), (
        f"schemas/{name} is out of date; run: zsextract schema --write schemas/"
    )


def test_public_api_is_complete_and_sorted() -> None:
    import types

    public = {
        n
        for n in dir(zsextract)
        if not n.startswith("_") and not isinstance(getattr(zsextract, n), types.ModuleType)
    } - {"annotations"}
    assert public <= set(zsextract.__all__)
    assert zsextract.__all__ == sorted(zsextract.__all__)
    for name in zsextract.__all__:
        assert hasattr(zsextract, name)
