"""Sentences a hostile review wrote against the rules of issue 13, each read as GOLD.md
says: signing firms listed before 代表/负责人 are projects, boilerplate such as 服务项目建设
is none, kinds of firms are none, a deadline's stage holds no quote or amount, and a list
of firms that backtracking could blow up is read at once."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal

import pytest

import zsextract


def _projects(text: str) -> list[str]:
    return [p.name for p in zsextract.extract(text).projects]


def _stages(text: str) -> list[tuple[str | None, str, Decimal | None]]:
    return [
        (s.from_event, s.to_event, s.months or s.every_months)
        for t in zsextract.extract(text).timelines
        for s in t.stages
    ]


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (
            "签约仪式上，华盛科技有限公司、鼎新材料有限公司等10家企业代表分别与县政府签订投资协议。",
            ["华盛科技有限公司", "鼎新材料有限公司"],
        ),
        ("金源集团、华立集团等企业负责人现场签约。", ["金源集团", "华立集团"]),
        ("金源集团、华立集团等企业前来考察，并签订投资协议。", ["金源集团", "华立集团"]),
        ("引进华为、中兴等企业。", ["华为", "中兴"]),
        (
            "吸引宁德时代、亿纬锂能、国轩高科等上下游企业落户。",
            ["宁德时代", "亿纬锂能", "国轩高科"],
        ),
        ("成功引进浙江华友钴业股份有限公司投资50亿元建设的三元前驱体项目。", ["三元前驱体项目"]),
    ],
)
def test_firms_that_sign_or_land_are_projects(text: str, names: list[str]) -> None:
    assert _projects(text) == names


@pytest.mark.parametrize(
    "text",
    [
        "各级干部要主动服务项目建设。",
        "精心服务项目落地。",
        "县领导定期调度项目，协调解决问题。",
        "全年新引进上市公司3家。",
        "引进区域总部和分公司。",
        "搭建招商引资大数据中心。",
    ],
)
def test_boilerplate_and_kinds_of_firms_are_no_projects(text: str) -> None:
    assert _projects(text) == []


@pytest.mark.parametrize(
    ("text", "stages"),
    [
        ("确保项目从签约到开工用时不超过3个月。", [("签约", "开工", 3)]),
        ("每月梳理项目推进情况。", [(None, "梳理项目推进情况", 1)]),
        ("每年三月举办一次招商推介会。", [(None, "招商推介会", 12)]),
        ("签约后7日内完成“三个一”服务。", []),
        ("开工后6个月内完成投资5000万元。", []),
    ],
)
def test_timelines_the_review_tried(text: str, stages: list[tuple[str | None, str, int]]) -> None:
    assert _stages(text) == stages


def test_an_amount_a_deadline_does_not_take_stays_a_metric() -> None:
    values = [
        m.quantity.value for m in zsextract.extract("开工后6个月内完成投资5000万元。").metrics
    ]
    assert values == [Decimal("50000000")]


@pytest.mark.parametrize(
    ("text", "leader"),
    [("成立由县纪委书记任组长的督查组。", False), ("按产业组建招商专班，由市领导任组长。", True)],
)
def test_a_leader_heads_promotion_not_any_group(text: str, leader: bool) -> None:
    codes = {m.code for m in zsextract.extract(text).mechanisms}
    assert ("leader_led" in codes) is leader


def test_a_range_of_amounts_keeps_both() -> None:
    got = [m.quantity.value for m in zsextract.extract("到位资金30亿元至35亿元。").metrics]
    assert got == [Decimal("3000000000"), Decimal("3500000000")]


def test_three_yuan_before_a_noun_is_a_word() -> None:
    assert zsextract.extract("建设年产5万吨三元前驱体项目。").metrics == []


def test_a_long_list_of_firms_after_yinjin_is_read_without_backtracking() -> None:
    """The list pattern once read each firm two ways (科技有限|公司, 科技|有限公司): a
    list of 40 not followed by a break took longer than anyone waits. Run apart, with
    a bound far above the milliseconds it takes, so that a return of that fault fails
    instead of hanging."""
    firms = "、".join(f"甲{i:02d}科技有限公司" for i in range(40))
    code = (
        "import zsextract; "
        f"r = zsextract.extract('成功引进{firms}和乙。', backend='rules'); "
        "print(len(r.projects))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.strip() == "0"  # 和乙 ends it: no list of firms only
