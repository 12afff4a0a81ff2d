from __future__ import annotations

import pytest

from zsextract import GoldDoc, load_gold_dir, score
from zsextract.evaluation.scoring import jaccard, score_doc

from .conftest import GOLD, needs_shared


def _doc(**parts) -> GoldDoc:
    return GoldDoc.model_validate({"doc": "a.txt", **parts})


def _m(name: str, value: float, unit: str = "count") -> dict:
    return {"name": name, "value": value, "unit": unit}


def test_metric_matching_by_unit_and_value() -> None:
    gold = _doc(
        metrics=[
            _m("新签项目", 157),
            _m("到位资金", 48450000000, "CNY"),
            _m("同比增长", 18.9, "percent"),
        ]
    )
    pred = _doc(
        metrics=[
            _m("签约项目", 157),
            _m("资金", 48450000001, "CNY"),
            _m("增长", 18.905, "percent"),
            _m("到位资金", 157, "CNY"),
        ]
    )
    s = score_doc(pred, gold)
    assert (s.parts["metrics"].tp, s.parts["metrics"].pred, s.parts["metrics"].gold) == (3, 4, 3)
    # named: 资金 vs 到位资金 contained; 增长 in 同比增长; 签约项目/新签项目 Jaccard 3/5
    assert s.metrics_named.tp == 3


def test_named_score_needs_overlapping_names() -> None:
    gold = _doc(metrics=[_m("新签项目", 157)])
    pred = _doc(metrics=[_m("拜访企业", 157)])
    s = score_doc(pred, gold)
    assert s.parts["metrics"].tp == 1 and s.metrics_named.tp == 0


def test_greedy_pairs_most_similar_name_first() -> None:
    gold = _doc(metrics=[_m("拜访企业", 50), _m("新签项目", 50)])
    pred = _doc(metrics=[_m("新签项目", 50)])
    s = score_doc(pred, gold)
    assert s.matches["metrics"] == [(0, 1)]


def test_percent_tolerance_is_absolute() -> None:
    gold = _doc(metrics=[_m("x", 18.9, "percent")])
    assert score_doc(_doc(metrics=[_m("x", 18.92, "percent")]), gold).parts["metrics"].tp == 0
    assert score_doc(_doc(metrics=[_m("x", 18.91, "percent")]), gold).parts["metrics"].tp == 1


def test_mechanisms_timelines_projects() -> None:
    gold = _doc(
        mechanisms=["leader_led", "targeted"],
        timelines=[
            {
                "code": "26211",
                "kind": "deadline",
                "stages": [
                    {"from": "签约", "to": "注册", "months": 2},
                    {"from": "签约", "to": "开工", "months": 6},
                ],
            }
        ],
        projects=[
            {"name": "年产5万吨磷酸铁锂正极材料项目", "investment_cny": 600000000},
            {"name": "玉湖冷链"},
        ],
    )
    pred = _doc(
        mechanisms=["leader_led", "digital"],
        timelines=[
            {
                "kind": "deadline",
                "stages": [
                    {"from": "注册", "to": "注册", "months": 2},
                    {"to": "开工", "months": 3},
                ],
            }
        ],
        projects=[
            {"name": "磷酸铁锂正极材料项目", "investment_cny": 600000000},
            {"name": "湖北玉湖冷链有限公司"},
            {"name": "别的公司"},
        ],
    )
    s = score_doc(pred, gold)
    assert (s.parts["mechanisms"].tp, s.parts["mechanisms"].pred, s.parts["mechanisms"].gold) == (
        1,
        2,
        2,
    )
    assert (s.parts["timelines"].tp, s.parts["timelines"].gold) == (1, 2)
    assert (s.parts["projects"].tp, s.parts["projects"].pred) == (2, 3)
    assert (s.amount_agree, s.amount_checked) == (1, 1)


def test_missing_prediction_counts_as_empty() -> None:
    gold = {"a": _doc(metrics=[_m("x", 1)], mechanisms=["leader_led"])}
    result = score({}, gold)
    assert result.missing_predictions == ["a"]
    assert result.parts["metrics"].recall == 0 and result.parts["mechanisms"].gold == 1


def test_jaccard() -> None:
    assert jaccard("新签项目", "签约项目") == pytest.approx(3 / 5)
    assert jaccard("", "") == 0


@needs_shared
def test_gold_scored_against_itself_is_perfect() -> None:
    golds = load_gold_dir(GOLD)
    result = score(golds, golds)
    for part in result.parts.values():
        assert part.f1 == 1.0
    assert result.metrics_named.f1 == 1.0
    assert result.mean_f1 == 1.0
