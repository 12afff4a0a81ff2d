"""Project names compared as the gold format does: without 项目, 有限公司, 公司
(``project_name_noise`` in ``data/rules.json``)."""

from __future__ import annotations

import re
from functools import cache

from ..datafiles import alternation, load_data

__all__ = ["project_key"]


@cache
def _noise() -> re.Pattern[str]:
    return re.compile(alternation(load_data("rules")["project_name_noise"]))


def project_key(name: str) -> str:
    """``name`` without the words that do not tell projects apart."""
    return _noise().sub("", name)
