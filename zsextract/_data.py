"""Load the data files shipped in ``zsextract/data`` once per process."""

from __future__ import annotations

import json
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
def mechanism_codes() -> dict[str, str]:
    """Taxonomy code -> Chinese label, in taxonomy order."""
    taxonomy = load_data("taxonomy")
    return {m["code"]: m["zh"] for m in taxonomy["mechanisms"]}
