"""Load the data files shipped in ``zsextract/data`` once per process."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Iterable
from functools import cache
from importlib import resources
from typing import Any

from .errors import DataFileError


@cache
def load_data(name: str) -> Any:
    """Return the parsed JSON data file ``zsextract/data/<name>.json``."""
    try:
        text = (
            resources.files("zsextract")
            .joinpath("data")
            .joinpath(f"{name}.json")
            .read_text("utf-8")
        )
        return json.loads(text)
    except (OSError, ValueError) as exc:
        raise DataFileError(
            f"packaged data file data/{name}.json cannot be read ({exc}); reinstall zsextract"
        ) from exc


@cache
def load_table(name: str) -> tuple[dict[str, str], ...]:
    """Return the rows of the CSV data file ``zsextract/data/<name>.csv``."""
    try:
        text = (
            resources.files("zsextract").joinpath("data").joinpath(f"{name}.csv").read_text("utf-8")
        )
        return tuple(csv.DictReader(io.StringIO(text)))
    except (OSError, ValueError, csv.Error) as exc:
        raise DataFileError(
            f"packaged data file data/{name}.csv cannot be read ({exc}); reinstall zsextract"
        ) from exc


@cache
def data_digest(*names: str) -> str:
    """A hash of the data files ``names`` as shipped: part of cache keys, so that an
    edited taxonomy or unit table makes the next call a miss."""
    digest = hashlib.sha256()
    for name in names:
        digest.update(name.encode("utf-8"))
        digest.update(json.dumps(load_data(name), sort_keys=True, ensure_ascii=False).encode())
    return digest.hexdigest()[:16]


@cache
def package_data_digest() -> str:
    """A hash of every data file shipped (JSON and CSV): part of the key of a cached
    finished report, which every table may shape."""
    digest = hashlib.sha256()
    folder = resources.files("zsextract").joinpath("data")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith((".json", ".csv")):
            digest.update(entry.name.encode("utf-8"))
            digest.update(entry.read_bytes())
    return digest.hexdigest()[:16]


@cache
def mechanism_codes() -> dict[str, str]:
    """Taxonomy code -> Chinese label, in taxonomy order."""
    taxonomy = load_data("taxonomy")
    return {m["code"]: m["zh"] for m in taxonomy["mechanisms"]}


def escaped_words(words: Iterable[str]) -> list[str]:
    """``words`` escaped for a regex, longest first (so that 万亿 wins over 万), each once."""
    return [re.escape(w) for w in sorted(dict.fromkeys(words), key=len, reverse=True)]


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of ``words``, longest first, so that 万亿 wins over 万."""
    return "|".join(escaped_words(words))
