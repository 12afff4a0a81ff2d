"""Every exception zsextract raises on purpose.

Hierarchy::

    ZsExtractError                 base of everything below
    ├── InputError                 the input cannot be used (also a ValueError)
    │   ├── EmptyInputError        nothing left to read after decoding / cleaning
    │   └── DecodeError            bytes are neither UTF-8 nor GB18030
    ├── QuantityParseError         a string holds no quantity parse_quantity understands
    │                              (also a ValueError)
    ├── DataFileError              a packaged data file (taxonomy, unit tables) is broken
    ├── GoldFormatError            a gold or prediction file breaks ../eval/GOLD.md
    └── BackendError               a backend is unknown or failed
        └── UnknownBackendError    the backend name is not registered

Each message says what was wrong and what to do about it.
"""

from __future__ import annotations

from pathlib import Path


class ZsExtractError(Exception):
    """Base class of every error raised by zsextract."""


class InputError(ZsExtractError, ValueError):
    """The input text or file cannot be used."""

    def __init__(self, message: str, *, path: Path | str | None = None) -> None:
        self.path = None if path is None else str(path)
        super().__init__(f"{self.path}: {message}" if self.path else message)


class EmptyInputError(InputError):
    """The input is empty, or only page chrome and whitespace."""


class DecodeError(InputError):
    """The bytes could not be decoded as UTF-8 or GB18030."""


class QuantityParseError(ZsExtractError, ValueError):
    """`parse_quantity` found no quantity in the string it was given."""

    def __init__(self, text: str) -> None:
        self.text = text
        super().__init__(
            f"no quantity found in {text!r}: pass one mention such as '484.5亿元', "
            "'同比增长18.9%' or '80余家'; use find_quantities() to scan longer text"
        )


class DataFileError(ZsExtractError):
    """A data file shipped with the package is missing or malformed."""


class GoldFormatError(ZsExtractError):
    """A gold or prediction file does not follow the gold format."""

    def __init__(self, message: str, *, path: Path | str | None = None) -> None:
        self.path = None if path is None else str(path)
        super().__init__(f"{self.path}: {message}" if self.path else message)


class BackendError(ZsExtractError):
    """A backend failed to produce a report."""


class UnknownBackendError(BackendError, KeyError):
    """The requested backend name is not registered."""

    def __init__(self, name: str, known: list[str]) -> None:
        self.name = name
        self.known = known
        super().__init__(f"unknown backend {name!r}: choose one of {', '.join(sorted(known))}")

    def __str__(self) -> str:  # KeyError would otherwise quote the message
        return str(self.args[0])
