"""Reading article files in any encoding Chinese pages use (issue 12): a byte-order mark
decides, else UTF-8, else a detector; Big5 is never read as GB18030; when no encoding
reads a file well, one clear error."""

from __future__ import annotations

import codecs
import logging
import os
from pathlib import Path

import pytest

import zsextract
from zsextract import DecodeError, InputError, read_article

from .conftest import ROOT

TRADITIONAL = (ROOT / "tests" / "data" / "articles" / "a02_zone_traditional.txt").read_text("utf-8")
SIMPLIFIED = (ROOT / "tests" / "data" / "articles" / "a01_county_summary.txt").read_text("utf-8")


def _metrics(text: str) -> list[tuple[str, object]]:
    return [(m.name, m.quantity.value) for m in zsextract.extract(text).metrics]


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (TRADITIONAL, "big5"),
        (TRADITIONAL, "cp950"),
        (SIMPLIFIED, "gb18030"),
        (SIMPLIFIED, "gbk"),
        (TRADITIONAL, "gb18030"),
    ],
)
def test_legacy_encodings_are_detected(tmp_path: Path, text: str, encoding: str) -> None:
    """Big5 bytes are mostly valid GB18030 too: read as GB18030 they give garbled
    names and lose metrics. The detector reads each as what it is."""
    # the pinyin glosses of the Traditional article are not in Big5; the text is
    source = text.encode(encoding, errors="ignore").decode(encoding)
    path = tmp_path / "article.txt"
    path.write_bytes(source.encode(encoding))
    assert read_article(path) == source
    assert _metrics(read_article(path)) == _metrics(source)


@pytest.mark.parametrize(
    ("bom", "encoding"),
    [
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
    ],
)
def test_a_byte_order_mark_decides(tmp_path: Path, bom: bytes, encoding: str) -> None:
    path = tmp_path / "article.txt"
    path.write_bytes(bom + SIMPLIFIED.encode(encoding))
    assert read_article(path) == SIMPLIFIED


def test_one_damaged_byte_in_utf8_is_replaced_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    data = SIMPLIFIED.encode("utf-8")
    path = tmp_path / "torn.txt"
    path.write_bytes(data[:40] + b"\xff" + data[40:])
    with caplog.at_level(logging.WARNING, logger="zsextract"):
        text = read_article(path)
    assert "invalid UTF-8 byte sequence" in caplog.text
    assert _metrics(text) == _metrics(SIMPLIFIED)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\xff\xfe\x00\xd8" + b"\x00" * 3, "damaged or mislabelled"),  # a UTF-16 BOM, then junk
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
        (bytes(range(128, 256)) * 20, "no Chinese encoding reads it well"),
    ],
)
def test_undecodable_files_are_one_clear_error(tmp_path: Path, data: bytes, message: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(DecodeError, match=message) as info:
        read_article(path)
    assert str(path) in str(info.value)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no fifos here")
def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="not a regular file"):
        read_article(fifo)
