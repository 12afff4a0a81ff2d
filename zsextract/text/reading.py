"""Read article files: UTF-8 first, then GB18030, with clear errors."""

from __future__ import annotations

from pathlib import Path

from ..errors import DecodeError, EmptyInputError, InputError

__all__ = ["decode_bytes", "read_article"]


def decode_bytes(data: bytes, *, path: Path | str | None = None) -> str:
    """Decode article bytes: UTF-8 (with or without BOM), else GB18030."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "gb18030" and "\x00" in text:
            break
        return text
    raise DecodeError(
        "is neither UTF-8 nor GB18030 text; convert it to UTF-8 (e.g. iconv -f BIG5 -t UTF-8)",
        path=path,
    )


def read_article(path: Path | str) -> str:
    """The text of an article file. Raises an :class:`InputError` subclass when unusable."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise InputError("is a folder: pass article files", path=path) from None
    except FileNotFoundError:
        raise InputError("does not exist", path=path) from None
    except OSError as exc:
        raise InputError(f"cannot be read ({exc.strerror})", path=path) from None
    if not data.strip():
        raise EmptyInputError("is empty", path=path)
    if b"\x00" in data[:4096]:
        raise DecodeError("looks binary (it holds NUL bytes), not an article", path=path)
    return decode_bytes(data, path=path)
