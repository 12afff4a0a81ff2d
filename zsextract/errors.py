"""Every exception zsextract raises on purpose.

Hierarchy::

    ZsExtractError                 base of everything below
    ├── InputError                 the input cannot be used (also a ValueError)
    │   ├── EmptyInputError        nothing left to read after decoding / cleaning
    │   └── DecodeError            bytes no encoding reads well (UTF-8, GB18030, Big5 …)
    ├── OutputError                an output file or folder cannot be written, or is in use
    ├── QuantityParseError         a string holds no quantity parse_quantity understands
    │                              (also a ValueError)
    ├── DataFileError              a packaged data file (taxonomy, unit tables) is broken
    │   └── PromptError            a prompt version is missing or malformed
    ├── GoldFormatError            a gold or prediction file breaks ../eval/GOLD.md
    ├── ConfigurationError         an option or the backend cannot be set up as asked
    │   └── UnknownOptionError     an option name no settings class has (also a TypeError)
    └── BackendError               a backend is unknown or failed
        ├── UnknownBackendError    the backend name is not registered
        └── LLMError               the LLM backend gave up (carries attempts and usage)
            ├── TransportError         HTTP errors outlasted the transport retries
            ├── DeadlineError          the article's deadline ran out
            ├── TruncatedOutputError   the model stopped at its length limit
            ├── TokenBudgetError       the article's token budget ran out
            └── GroundingError         items stayed ungrounded after the repair budget

Each message says what was wrong and what to do about it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any


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


class OutputError(ZsExtractError, OSError):
    """An output path cannot be written (a folder, no permission, a full disk), or
    another run is writing to it."""

    def __init__(self, message: str, *, path: Path | str | None = None) -> None:
        self.path = None if path is None else str(path)
        super().__init__(f"{self.path}: {message}" if self.path else message)


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


class PromptError(DataFileError):
    """A prompt version is missing, incomplete or has an example whose quotes are wrong."""


class ConfigurationError(ZsExtractError):
    """An option, or the backend, cannot be set up as asked."""


class UnknownOptionError(ConfigurationError, TypeError):
    """An option name that no settings class has (a misspelling, usually)."""


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


class LLMError(BackendError):
    """The LLM backend gave up on an article.

    ``attempts`` counts model calls (failed ones included) and ``usage`` sums their
    tokens, so a failure still says what it cost.
    """

    def __init__(
        self, message: str, *, attempts: int = 0, usage: dict[str, int] | None = None
    ) -> None:
        self.attempts = attempts
        self.usage = dict(usage or {})
        super().__init__(message)


class TransportError(LLMError):
    """HTTP errors (429, 5xx, timeouts, connection) outlasted the transport retries,
    or the endpoint refused the request (400, 401, 403, 404), which is never retried."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        attempts: int = 0,
        usage: dict[str, int] | None = None,
    ) -> None:
        self.status = status
        super().__init__(message, attempts=attempts, usage=usage)


class DeadlineError(LLMError):
    """The article's ``deadline`` (seconds for the whole extraction: every request,
    transport retry and repair) ran out before a grounded report."""


class TruncatedOutputError(LLMError):
    """The model hit its output limit (``finish_reason == "length"``) even on the
    smallest chunk; raise ``max_tokens`` or use candidate mode."""


class TokenBudgetError(LLMError):
    """The article's token budget ran out before a grounded report was made."""


class GroundingError(LLMError):
    """Items were still ungrounded after the repair budget. ``failures`` names them and
    ``raw_output`` is the model's last answer."""

    def __init__(
        self,
        message: str,
        *,
        failures: list[str],
        raw_output: str | None = None,
        attempts: int = 0,
        usage: dict[str, int] | None = None,
    ) -> None:
        self.failures = failures
        self.raw_output = raw_output
        super().__init__(message, attempts=attempts, usage=usage)


@dataclass(frozen=True)
class DocumentError:
    """Why one document got no report: the one record of a per-document failure, used
    by the CLI (one line on stderr), batch runs (the ``error`` of a JSONL line) and Ray
    (the ``error`` column, as JSON). ``internal`` marks a bug in zsextract rather than
    a problem of the document; ``attempts`` and ``usage`` say what an LLM failure cost."""

    type: str
    message: str
    internal: bool = False
    attempts: int | None = None
    usage: dict[str, int] | None = None

    @classmethod
    def from_exception(cls, exc: BaseException) -> DocumentError:
        if isinstance(exc, LLMError):
            return cls(type(exc).__name__, str(exc), attempts=exc.attempts, usage=exc.usage)
        return cls(type(exc).__name__, str(exc), internal=not isinstance(exc, ZsExtractError))

    def as_dict(self) -> dict[str, Any]:
        """The record without its empty fields."""
        return {k: v for k, v in asdict(self).items() if v not in (None, False)}

    def line(self, where: str, backend: str) -> str:
        """One line for a person: what failed, and for a bug, what to do."""
        if self.internal:
            return (
                f"{where}: internal error in the {backend} backend ({self.type}: "
                f"{self.message}); please report it with this file"
            )
        return self.message
