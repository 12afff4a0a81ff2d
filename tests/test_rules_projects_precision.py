"""What is not a project (issue 13), in sentences written for this project: meetings
and events, verbs' objects, descriptions of what projects failed to do, places given as
examples; and that real names beside them are still read."""

from __future__ import annotations

import pytest

import zsextract


def _names(text: str) -> list[str]:
    return [p.name for p in zsextract.extract(text).projects]


@pytest.mark.parametrize(
    "text",
    [
        "5月8日，丰源县召开招商引资暨第五届农博会项目签约推进会。",
        "丰源县举办招商引资项目集中开工活动。",
        "各部门要明确专人到项目一线，领导干部带头跑项目。",
        "重点引进科技含量高、带动能力强的项目。",
        "对逾期不开工项目和未按期投产项目坚决清退。",
        "青山产业园、丰源智能装备基地等园区通过以商招商引进企业9家。",
        "以优质服务促进各类产业项目落地。",
        "县委书记强调，拼经济就要拼项目。",
        "坚持每周报项目、每月商项目。",
        "丰源县又一大项目签约落户。",
        "开发区连续签署两份百亿项目。",
        "努力使项目早日建成。",
        "预计该项目年底投产。",
        "推动高质量项目落地。",
        "全市招商引资履约项目536个。",
        "打造集研发、生产为一体的总部基地。",
        "企业将在丰源发展商业地产、文化旅游、康养服务等重大项目。",
        "主要经营厂房、宿舍、办公楼等项目的建设和出租。",
        # places, organs and leaders listed before 等地…项目 (no projects)
        "年初以来，丰源县委、县政府主要领导带队分赴上海、北京、深圳等地推进在谈项目。",
        "重点查看各市、县(区)项目建设进展。",
        "先后赴青山湖、丰源湾等地对接项目。",
        "推进吉林市委项目。",  # a place's organ: projects.organs
        "抓好县委项目落地。",
        "北京、深圳等项目推进顺利。",  # divisions alone
        "引进更多符合高新区产业定位的高质量项目。",  # a description ending in 的
        "中心要紧盯重点项目。",
        "部分项目进度滞后。",
        "各部门要跑出项目落地加速度。",
    ],
)
def test_phrases_that_are_no_project_names(text: str) -> None:
    assert _names(text) == []


def test_a_real_name_beside_them_is_kept() -> None:
    text = "丰源县召开项目推进会。会上，绿能光伏组件项目签约落户，总投资12亿元。"
    assert _names(text) == ["绿能光伏组件项目"]


def test_stainless_steel_is_no_negation() -> None:
    assert _names("引进了年产5万吨不锈钢精密带材项目。") == ["年产5万吨不锈钢精密带材项目"]


def test_a_list_of_short_names_with_a_count_is_kept() -> None:
    # firms with short names, counted: not kinds of projects
    names = _names("今年新引进项目中共有金鹏电子、日德阀门等9个增资扩产项目。")
    assert names == ["金鹏电子项目", "日德阀门项目"]


def test_a_list_introduced_as_projects_ends_at_its_last_name() -> None:
    names = _names(
        "本次签约项目包括青山智能传动产业园、浪潮集团西部运营总部、盛泰光电城等，总投资达65亿元。"
    )
    assert names == ["青山智能传动产业园", "浪潮集团西部运营总部", "盛泰光电城"]
    names = _names("新入驻企业13个，包括丰源新坐标科技有限公司、丰源每日食品有限公司等；")
    assert names == ["丰源新坐标科技有限公司", "丰源每日食品有限公司"]
    assert _names("会议邀请了华为、中兴等，共商合作。") == []  # no projects or firms named first


def test_a_name_before_an_ellipsis_or_after_is_read() -> None:
    assert _names("投资2亿元，兴建年产200万支汽车轮毂项目……") == ["年产200万支汽车轮毂项目"]
    names = _names("继绿地控股集团计划在新区投资100亿元建设智慧科技园项目后，又一家企业入驻。")
    assert names == ["智慧科技园项目"]


def test_the_name_after_a_description_ending_in_de() -> None:
    assert _names("当天动工的湾区未来科技城项目总投资50亿元。") == ["湾区未来科技城项目"]
    assert _names("签约落户的青山湖野奢营地度假区总投资8亿元。") == ["青山湖野奢营地度假区"]


def test_short_names_before_a_named_kind_are_firms() -> None:
    # 等储能项目 says what the firms build: the firms' projects, however short their names
    assert _names("青山电气、丰源东方等储能项目顺利开工。") == ["青山电气项目", "丰源东方项目"]


def test_a_project_named_with_its_manager() -> None:
    assert _names("丰源湖产业园项目负责人反映了施工便道问题。") == ["丰源湖产业园项目"]
    assert _names("企业将以最快速度建成项目。") == []
