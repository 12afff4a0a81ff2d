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
    ],
)
def test_phrases_that_are_no_project_names(text: str) -> None:
    assert _names(text) == []


def test_a_real_name_beside_them_is_kept() -> None:
    text = "丰源县召开项目推进会。会上，绿能光伏组件项目签约落户，总投资12亿元。"
    assert _names(text) == ["绿能光伏组件项目"]


def test_stainless_steel_is_no_negation() -> None:
    assert _names("引进了年产5万吨不锈钢精密带材项目。") == ["年产5万吨不锈钢精密带材项目"]
