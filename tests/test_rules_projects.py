"""Projects found by the rules backend, on phrasings written for these tests."""

from __future__ import annotations

from decimal import Decimal

import pytest

import zsextract


def _projects(text: str) -> list[tuple[str, str | None, Decimal | None, str | None]]:
    report = zsextract.extract(text)
    for p in report.projects:
        assert report.source.text[p.evidence.start : p.evidence.end] == p.evidence.quote
    return [
        (p.name, p.investor, p.investment.value if p.investment else None, p.status)
        for p in report.projects
    ]


def test_partner_amount_and_name() -> None:
    assert _projects("高新区与远航精密机械有限公司签订了8.5亿元的数控机床生产基地项目。") == [
        ("数控机床生产基地项目", "远航精密机械有限公司", Decimal("850000000"), "signed")
    ]


def test_company_invests_in_a_project() -> None:
    got = _projects("园区服务保障明辉光电公司投资3亿元建设Mini LED显示模组等6个项目。")
    assert got == [("Mini LED显示模组项目", "明辉光电公司", Decimal("300000000"), None)]


def test_list_before_a_count_of_firms() -> None:
    got = _projects("今年成功引进了星河半导体、蓝湾新材、启明储能等30余家配套企业。")
    assert [name for name, *_ in got] == ["星河半导体", "蓝湾新材", "启明储能"]
    assert {status for *_, status in got} == {"landed"}


def test_anchor_firms_are_not_new_projects() -> None:
    assert _projects("依托华强电子、东方电缆等龙头企业，延伸产业链条。") == []


def test_investor_and_amount_stated_after_the_name() -> None:
    got = _projects(
        "开发区成功引进年产3万吨可降解材料项目，由绿源化工有限公司投资15亿元建设，预计明年投产。"
    )
    assert got == [
        ("年产3万吨可降解材料项目", "绿源化工有限公司", Decimal("1500000000"), "producing")
    ]


def test_generic_and_category_phrases_are_not_projects() -> None:
    text = (
        "全市新签约重大项目20个，持续抓好招商引资项目，谋划一批新能源项目和新材料项目，"
        "加快推进重点项目建设，做好项目服务保障。"
    )
    assert _projects(text) == []


def test_traditional_script_project_names_are_simplified() -> None:
    got = _projects("縣裡與順達物流集團簽約冷鏈物流產業園項目，總投資5億元。")
    assert got == [("冷链物流产业园项目", "顺达物流集团", Decimal("500000000"), "signed")]


def test_the_last_item_of_a_list_after_yiji() -> None:
    text = (
        "签约项目包括投资20亿元的丰源光伏产业园、投资8亿元的青山数智中心"
        "以及绿能电池结算中心等一批科技含量高、带动能力强的项目。"
    )
    projects = zsextract.extract(text).projects
    assert [p.name for p in projects] == [
        "丰源光伏产业园",
        "青山数智中心项目",
        "绿能电池结算中心",  # a head word of its own: named as the text names it
    ]
    assert [p.investment.value if p.investment else None for p in projects] == [
        Decimal("2000000000"),
        Decimal("800000000"),
        None,
    ]


def test_a_list_ended_by_its_count() -> None:
    text = "此次签约包括丰源电子、青山精密、绿能电池3个外资项目，协议投资额合计3.3亿美元。"
    names = [p.name for p in zsextract.extract(text).projects]
    assert names == ["丰源电子项目", "青山精密项目", "绿能电池项目"]


@pytest.mark.parametrize(
    "text",
    [
        "全年引进丰源科技5个项目。",
        "由市发改委、市行政审批局组成的5个项目服务专班。",
        "各县(市、区)新签12个项目。",
    ],
)
def test_a_count_after_one_name_or_a_phrase_ends_no_list(text: str) -> None:
    assert zsextract.extract(text).projects == []


def _names(text: str) -> list[str]:
    return [name for name, *_ in _projects(text)]


def test_phases_plants_and_power_stations_are_named_projects() -> None:
    assert _names(
        "开发区内，恒远纺织二期已经投产，丰禾光伏电站顺利并网，瑞安超级工厂开工建设。"
    ) == [
        "恒远纺织二期",
        "丰禾光伏电站",
        "瑞安超级工厂",
    ]


def test_two_names_joined_after_a_head_word_are_two_projects() -> None:
    assert _names("7月底前，推动如意纺织染整车间和宏达机电三期投产。") == [
        "如意纺织染整车间",
        "宏达机电三期",
    ]
    assert _names("目前在谈的有金桥物流园、华泰食品车间和佳禾药业二期等项目。") == [
        "金桥物流园",
        "华泰食品车间",
        "佳禾药业二期",
    ]


def test_a_visit_verb_is_no_part_of_the_name() -> None:
    assert _names("代表团参观了合肥某显示面板产业园，学习其招商经验。") == ["合肥某显示面板产业园"]
