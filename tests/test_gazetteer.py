"""The gazetteer (issue 13): China's divisions from the 民政部 table, and the place an
article reports on, on sentences written for this project."""

from __future__ import annotations

from collections import Counter

import pytest

import zsextract
from zsextract.readers.gazetteer import (
    Division,
    division_named,
    divisions,
    find_region,
    report_region,
)


def test_the_table_is_whole_and_linked() -> None:
    table = divisions()
    assert Counter(d.level for d in table.values()) == {1: 33, 2: 333, 3: 2845}
    for d in table.values():
        assert all(a.code in table for a in d.ancestors())
        assert d.province.level == 1 and d.code.startswith(d.province.code[:2])
    assert table["370830"].name == "汶上县" and table["370830"].province.name == "山东省"


def _region(text: str) -> Division | None:
    return find_region(text)


@pytest.mark.parametrize(
    "text, name, province",
    [
        ("济宁市汶上经开区新签项目8个，汶上今年到位资金12亿元。", "汶上县", "山东省"),
        ("今年，海西州累计到位资金20亿元，海西州新签项目9个。", "海西蒙古族藏族自治州", "青海省"),
        ("北京市朝阳区召开招商大会，朝阳区签约项目20个。", "朝阳区", "北京市"),
        ("辽宁朝阳市招商引资再提速，朝阳今年签约项目30个。", "朝阳市", "辽宁省"),
        (
            "吉林省上半年到位资金同比增长12%，长春、吉林、四平等地新签项目120个。",
            "吉林省",
            "吉林省",
        ),
        ("湖北团风县：团风今年引进项目15个。", "团风县", "湖北省"),
    ],
)
def test_the_place_reported_on(text: str, name: str, province: str) -> None:
    found = _region(text)
    assert found is not None and (found.name, found.province.name) == (name, province)


def test_a_province_of_many_cities_stays_the_province() -> None:
    text = (
        "甘肃省招商引资成效显著\n"
        "兰州签约项目30个，天水签约项目12个，酒泉签约项目9个，甘肃全省签约项目300个。"
    )
    assert _region(text).name == "甘肃省"


def test_a_county_short_name_alone_is_a_word_not_a_place() -> None:
    assert _region("据光明日报报道，和平发展是共同心愿。") is None


@pytest.mark.parametrize(
    "name, official",
    [
        ("张家川县", "张家川回族自治县"),
        ("阿坝州", "阿坝藏族羌族自治州"),
        ("吉林", "吉林省"),
        ("胡杨河市", "胡杨河市"),
    ],
)
def test_a_name_as_articles_write_it(name: str, official: str) -> None:
    found = division_named(name)
    assert found is not None and found.name == official


def test_the_report_gives_the_region_its_code_and_province() -> None:
    report = zsextract.extract("张家川县召开招商推介会\n会上，张家川县签约项目12个。")
    assert (report.region, report.region_code, report.province) == (
        "张家川回族自治县",
        "620525",
        "甘肃省",
    )
    report = zsextract.extract("全区新签项目12个。", metadata={"region": "佛山三龙湾"})
    assert (report.region, report.province) == ("佛山三龙湾", "广东省")


def test_a_place_that_is_no_division_wins_when_named_more() -> None:
    text = (
        "丰源县招商引资工作综述\n"
        "丰源县今年新签项目52个，其中江苏省客商投资项目8个。丰源县到位资金98亿元。"
    )
    assert find_region(text).name == "江苏省"  # 丰源县 is made up, so not in the table
    assert report_region(text) == "丰源县"


def test_a_verb_before_a_suffix_is_no_place() -> None:
    text = (
        "海西州招商引资成效显著\n海西州完成到位资金20亿元，完成新签项目9个，完成开工项目5个，"
        "完成投产项目3个，完成入库项目2个，完成州定目标任务的106%。"
    )
    assert report_region(text) == "海西蒙古族藏族自治州"


def test_a_short_name_inside_a_longer_one_is_not_read() -> None:
    assert find_region("全县今年签约项目12个，其中江苏客商投资项目8个。").name == "江苏省"


def test_a_verb_before_a_place_suffix_is_no_place() -> None:
    from zsextract.readers.places import find_places

    assert [m.group(0) for m in find_places("，完善开发区功能配套，")] == []
    assert [m.group(0) for m in find_places("，青山开发区功能配套，")] == ["青山开发区"]
