"""One fact from many reports (issue 15), on a collection of the 29 real articles of
../shared and their copies (tests/collection.py): copies grouped with their original,
every repeated figure one fact with all its sources, planted contradictions flagged
once each."""

from __future__ import annotations

from decimal import Decimal

import pytest

import zsextract
from zsextract.dataset import Consolidation, agreement, measure_of, stated_by_rounding

from .collection import collection


@pytest.fixture(scope="module")
def result() -> Consolidation:
    return zsextract.consolidate(collection().reports())


def test_every_copy_is_grouped_with_its_original(result: Consolidation) -> None:
    c = collection()
    expected = sorted([original, *c.copies_of[original]] for original in c.originals)
    assert sorted(result.copies) == expected
    assert result.documents == len(c.documents)
    # without the copies the 29 articles are 29 sources: none is taken for another
    alone = zsextract.consolidate([(i, r) for i, r in c.reports() if "~" not in i])
    assert alone.copies == []


def test_every_repeated_figure_is_one_fact_with_all_its_sources(result: Consolidation) -> None:
    c = collection()
    planted = {(p.doc_id, p.name) for p in c.planted}
    fact_of = {}
    for fact in result.facts:
        for source in fact.sources:
            fact_of.setdefault((source.doc_id, source.name, source.value), fact)
    checked = 0
    for doc_id, report in c.reports():
        if "~" in doc_id:
            continue
        for metric in report.metrics:
            fact = fact_of[(doc_id, metric.name, metric.quantity.value)]
            stating = {s.doc_id for s in fact.sources}
            if stating & {
                p.doc_id for p in c.planted if (p.original, p.name) == (doc_id, metric.name)
            }:
                continue  # the next test's
            for copy in c.copies_of[doc_id]:
                if (copy, metric.name) in planted:
                    continue
                assert copy in stating, (doc_id, metric.name, copy)
            assert fact.articles == [doc_id]  # copies are one source
            if fact.agreement == "rounding":
                assert {s.doc_id for s in fact.sources if s.value != fact.value} <= (
                    c.rounded_changed
                )
            else:
                assert fact.agreement == "same", (doc_id, metric.name, fact.values)
            checked += 1
    assert checked > 250
    assert sum(f.agreement == "rounding" for f in result.facts) >= 5


def test_planted_contradictions_are_flagged_once_each(result: Consolidation) -> None:
    planted = collection().planted
    assert len(planted) == 3
    flagged = {}
    for fact in result.conflicts:
        stated = {(s.doc_id, s.value) for s in fact.sources}
        (p,) = [p for p in planted if (p.doc_id, p.new) in stated]  # no other conflict
        assert p.doc_id not in flagged  # flagged once
        flagged[p.doc_id] = fact
        assert (p.original, p.old) in stated
        assert set(fact.values) == {p.old, p.new} and fact.value is None  # never averaged
    assert set(flagged) == {p.doc_id for p in planted}


def test_agreement_same_rounding_conflict() -> None:
    e = "exact"
    assert agreement([(Decimal(157), e), (Decimal(157), e)]) == ("same", 0)
    assert agreement([(Decimal("48446000000"), e), (Decimal("48400000000"), e)]) == (
        "rounding",
        0,
    )
    assert agreement([(Decimal(484), e), (Decimal("484.46"), e)]) == ("rounding", 1)
    assert agreement([(Decimal(484), e), (Decimal("484.5"), e)])[0] == "conflict"  # 485
    assert agreement([(Decimal(157), e), (Decimal(175), e)])[0] == "conflict"
    assert agreement([(Decimal(157), e), (Decimal(200), e)])[0] == "conflict"  # 1 digit
    assert stated_by_rounding(Decimal("484.5"), Decimal(480), "approx")  # 约480
    assert not stated_by_rounding(Decimal("486"), Decimal(480), "approx")
    assert stated_by_rounding(Decimal("484.5"), Decimal(480), "lower_bound")  # 超480
    assert not stated_by_rounding(Decimal("479"), Decimal(480), "lower_bound")
    assert stated_by_rounding(Decimal("479"), Decimal(480), "upper_bound")  # 不到480


def test_a_measure_is_its_name_without_place_and_filler() -> None:
    a = zsextract.extract("2024年1—6月，青山区全区实际到位资金12.5亿元。").metrics[0]
    b = zsextract.extract("2024年上半年，青山区到位资金12.5亿元。").metrics[0]
    assert measure_of(a, "青山区") == measure_of(b, "青山区") == "到位资金"


def test_facts_from_two_outlets_meet_and_conflict_once() -> None:
    city = "2024年1—6月，全市招商引资实际到位资金126.8亿元，新签约项目64个。"
    paper = "今年上半年，全市到位资金约127亿元，新签约项目46个，同比增长10%。"
    meta = {"publish_date": "2024-07-10", "region": "青山市"}
    result = zsextract.consolidate(
        [
            ("city", zsextract.extract(city, metadata=meta)),
            ("paper", zsextract.extract(paper, metadata=meta)),
        ]
    )
    assert result.copies == []
    by_measure = {f.measure: f for f in result.facts}
    funds = by_measure["到位资金"]
    assert (funds.agreement, funds.value, funds.articles) == (
        "rounding",
        Decimal("12680000000"),
        ["city", "paper"],
    )
    assert (funds.period_start, funds.period_end) == ("2024-01", "2024-06")
    projects = by_measure["新签约项目"]
    assert projects.agreement == "conflict" and set(projects.values) == {64, 46}
    assert len(result.conflicts) == 1


def test_a_figure_meets_the_one_it_agrees_with_not_the_one_in_its_place() -> None:
    meta = {"publish_date": "2024-07-10", "region": "青山市"}
    both = "1—6月，全市到位资金100亿元。\n\n1—6月，开发区签约项目20个，到位资金60亿元。"
    second = "1—6月，开发区签约项目20个，到位资金60亿元。"
    result = zsextract.consolidate(
        [
            ("both", zsextract.extract(both, metadata=meta)),
            ("second", zsextract.extract(second, metadata=meta)),
        ]
    )
    funds = [f for f in result.facts if f.measure == "到位资金"]
    assert [(f.values, f.articles) for f in funds] == [
        ((Decimal("10000000000"),), ["both"]),
        ((Decimal("6000000000"),), ["both", "second"]),
    ]
    assert result.conflicts == []


def test_a_farm_of_identical_mirrors_is_one_group_and_one_index_entry() -> None:
    from zsextract.dataset import CopyFinder

    text = (collection().documents[0][1] * 2)[:3000]
    finder = CopyFinder()
    for n in range(2000):
        finder.add(f"m{n}", text)
    finder.add("other", collection().documents[-1][1])
    assert finder.groups() == [[f"m{n}" for n in range(2000)], ["other"]]
    assert finder.indexed() == 2  # one entry for the farm: adding stays linear


def test_ids_must_be_unique() -> None:
    report = zsextract.extract("1—6月，全县新签约项目61个。")
    for copies in (True, False):
        with pytest.raises(ValueError, match=r"'a'.*unique"):
            zsextract.consolidate([("a", report), ("a", report)], copies=copies)
