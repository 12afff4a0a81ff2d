"""Read article files: a byte-order mark decides, else UTF-8, else a detector.

Without a BOM, text that is valid UTF-8 is UTF-8. Anything else goes to
charset-normalizer, limited to the encodings Chinese pages use (GB18030 and its
subsets, Big5 and its extensions, UTF-16/32): it tells Big5 from GB18030 by how the
decoded text reads, where trying GB18030 first would "succeed" on Big5 bytes and give
garbage. When the detector is unsure, the error names the candidates.
"""

from __future__ import annotations

import codecs
import logging
import os
import stat
from pathlib import Path

from charset_normalizer import from_bytes

from ..errors import DecodeError, EmptyInputError, InputError

__all__ = ["decode_bytes", "read_article"]

log = logging.getLogger("zsextract")

#: byte-order marks, longest first (a UTF-32 LE mark starts like a UTF-16 LE one)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
#: the largest article file read (4 bytes for each of zsextract.api.MAX_CHARS characters)
MAX_FILE_BYTES = 80_000_000
#: the encodings the detector may choose among
_CANDIDATES = ["gb18030", "gbk", "gb2312", "big5", "big5hkscs", "cp950", "hz", "utf_16", "utf_32"]
#: above this mess ratio (0 = reads well, 1 = noise) the detector's choice is refused
_MAX_CHAOS = 0.2
#: invalid UTF-8 sequences per 1,000 characters (and at least this many) that still
#: count as damaged UTF-8 rather than another encoding
_DAMAGE_PER_MILLE = 1
_DAMAGE_AT_LEAST = 3


def decode_bytes(data: bytes, *, path: Path | str | None = None) -> str:
    """Decode article bytes (see the module's description). Raises :class:`DecodeError`
    when no encoding reads them well."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                raise DecodeError(
                    f"starts with a {encoding} byte-order mark but is not {encoding} "
                    f"(byte {exc.start + len(bom)}): the file is damaged or mislabelled",
                    path=path,
                ) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if b"\x00" in data[:4096]:
        raise DecodeError(
            "looks binary (it holds NUL bytes), not an article; a UTF-16 or UTF-32 text "
            "needs its byte-order mark",
            path=path,
        )
    # Chinese in any legacy encoding is invalid UTF-8 almost everywhere; a few bad
    # sequences in otherwise valid UTF-8 are damage (a torn write, a bad copy)
    damaged = data.decode("utf-8", errors="replace")
    bad = damaged.count("\ufffd")
    if bad <= max(_DAMAGE_AT_LEAST, _DAMAGE_PER_MILLE * len(damaged) // 1000):
        log.warning(
            "%s: %d invalid UTF-8 byte sequence(s) replaced; the rest is UTF-8",
            path or "input",
            bad,
        )
        return damaged
    matches = from_bytes(data, cp_isolation=_CANDIDATES)
    best = matches.best()
    if best is None or best.chaos > _MAX_CHAOS:
        read = ", ".join(f"{m.encoding} (mess {m.chaos:.0%})" for m in list(matches)[:3])
        raise DecodeError(
            "is not UTF-8 and no Chinese encoding reads it well"
            + (f" (tried: {read})" if read else "")
            + "; convert it to UTF-8, e.g. iconv -f BIG5 -t UTF-8",
            path=path,
        )
    return str(best)


def read_article(path: Path | str) -> str:
    """The text of an article file. Raises an :class:`InputError` subclass when unusable
    (a folder, a fifo or device, unreadable, empty, binary or undecodable)."""
    path = Path(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise InputError("does not exist", path=path) from None
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror})", path=path) from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError("is a folder: pass article files", path=path)
    if not stat.S_ISREG(info.st_mode):
        raise InputError("is not a regular file (a fifo, device or socket): skipped", path=path)
    if info.st_size > MAX_FILE_BYTES:
        raise InputError(
            f"is {info.st_size:,} bytes, over the {MAX_FILE_BYTES:,} an article file may have: "
            "split it first",
            path=path,
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror})", path=path) from None
    if not data.strip():
        raise EmptyInputError("is empty", path=path)
    return decode_bytes(data, path=path)
