"""The typed options of zsextract: :class:`LLMSettings` (one extraction by a model) and
:class:`BatchOptions` (a run over many documents).

Each option is one dataclass field with its help text in the field's metadata. That one
field is all it takes for an option to reach the Python API (``extract(...,
model="m")``), batch runs, Ray and the command line (``--model``): the CLI declares its
flags from these fields (:func:`cli_fields`), and :func:`split_options` sorts keyword
arguments into the two classes, refusing unknown names with a ``TypeError``.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Mapping
from dataclasses import MISSING, Field, dataclass, field, fields, replace
from functools import cache
from pathlib import Path
from typing import Any, ClassVar, Literal, get_args

from .errors import ConfigurationError, UnknownOptionError

__all__ = [
    "DEFAULT_PROMPT_VERSION",
    "BatchOptions",
    "LLMSettings",
    "Mode",
    "OnUngrounded",
    "cli_fields",
    "split_options",
]

#: the prompt folder (prompts/<version>/) used unless another is asked for
DEFAULT_PROMPT_VERSION = "v2"

Mode = Literal["tools", "json_schema", "md_json", "json"]
OnUngrounded = Literal["raise", "drop"]


def _default_cache_dir() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return str(Path(base) / "zsextract")


def option(
    default: Any = MISSING,
    *,
    help: str,
    flag: str | None = None,
    short: str | None = None,
    cli: bool = True,
    factory: Any = MISSING,
    secret: bool = False,
) -> Any:
    """A dataclass field that documents itself. ``flag``: the CLI flag when it is not
    ``--`` + the name; for a bool, ``--on/--off``. ``cli=False``: not a CLI flag."""
    meta = {"help": help, "flag": flag, "short": short, "cli": cli}
    if factory is not MISSING:
        return field(default_factory=factory, repr=not secret, metadata=meta)
    return field(default=default, repr=not secret, metadata=meta)


def _check_choice(name: str, value: object, kind: Any) -> None:
    allowed = get_args(kind)
    if value is not None and value not in allowed:
        raise ConfigurationError(
            f"{name} must be one of {', '.join(map(str, allowed))}, not {value!r}"
        )


def _check_range(name: str, value: float | None, *, low: float, strict: bool = False) -> None:
    if value is None:
        return
    if value < low or (strict and value == low):
        bound = f"more than {low:g}" if strict else f"at least {low:g}"
        raise ConfigurationError(f"{name} must be {bound}, not {value!r}")


@dataclass(frozen=True)
class LLMSettings:
    """Everything that shapes an LLM extraction, in one place.

    Endpoint: ``provider`` (a preset in ``data/providers.json``), ``base_url``,
    ``model``, ``mode``, ``api_key``; unset fields come from the preset, then from
    ``OPENAI_BASE_URL`` / ``OPENAI_API_KEY``. Settings are checked when made.
    """

    cli_panel: ClassVar[str] = "LLM backend (--backend llm)"

    provider: str | None = option(None, help="LLM provider preset (data/providers.json).")
    base_url: str | None = option(None, help="Base URL of an OpenAI-compatible endpoint.")
    model: str | None = option(None, short="-m", help="LLM model name.")
    mode: Mode | None = option(
        None, help="How the answer is structured: tools, json_schema, md_json or json."
    )
    api_key: str | None = option(
        None, cli=False, secret=True, help="API key (the CLI reads it from the environment)."
    )
    temperature: float = option(0.0, help="Sampling temperature.")
    max_tokens: int | None = option(4096, help="Most tokens in one answer.")
    timeout: float = option(120.0, help="Seconds to wait for one request.")
    deadline: float | None = option(
        None,
        help="Seconds for one article's whole extraction, retries and repairs included.",
    )
    transport_retries: int = option(4, help="Retries of 429, 5xx, timeouts and lost connections.")
    backoff_initial: float = option(1.0, help="First wait between retries, in seconds.")
    backoff_max: float = option(30.0, help="Longest wait between retries, in seconds.")
    repair_attempts: int = option(2, help="Repair requests for items that fail grounding.")
    repair_max_items: int = option(20, help="Most failed items one repair request lists.")
    on_ungrounded: OnUngrounded = option(
        "raise", help="raise, or drop the items still ungrounded after the repairs."
    )
    token_budget: int | None = option(None, help="Most tokens to spend on one article.")
    candidates: bool = option(
        False, help="The model labels numbered quantities instead of copying them."
    )
    prompt_version: str = option(
        DEFAULT_PROMPT_VERSION, help="Prompt version (a folder of prompts/)."
    )
    prompts_dir: str | None = option(None, help="A folder of prompt versions of your own.")
    chunk_chars: int = option(6000, help="Longest chunk of an article sent in one request.")
    chunk_overlap: int = option(300, help="Characters shared by neighbouring chunks.")
    min_chunk_chars: int = option(1500, help="Shortest chunk a truncated answer may split to.")
    use_cache: bool = option(
        True, flag="--cache/--no-cache", help="Read and write the LLM result cache."
    )
    cache_dir: str = option(
        factory=_default_cache_dir, help="LLM cache folder (default ~/.cache/zsextract)."
    )
    requests_per_minute: float | None = option(
        None, flag="--rpm", help="Most model requests per minute (repairs and chunks included)."
    )
    tokens_per_minute: float | None = option(None, flag="--tpm", help="Most tokens per minute.")

    def __post_init__(self) -> None:
        _check_choice("mode", self.mode, Mode)
        _check_choice("on_ungrounded", self.on_ungrounded, OnUngrounded)
        _check_range("temperature", self.temperature, low=0)
        _check_range("max_tokens", self.max_tokens, low=1)
        _check_range("timeout", self.timeout, low=0, strict=True)
        _check_range("deadline", self.deadline, low=0, strict=True)
        _check_range("transport_retries", self.transport_retries, low=0)
        _check_range("repair_attempts", self.repair_attempts, low=0)
        _check_range("repair_max_items", self.repair_max_items, low=1)
        _check_range("token_budget", self.token_budget, low=1)
        _check_range("chunk_chars", self.chunk_chars, low=1)
        _check_range("min_chunk_chars", self.min_chunk_chars, low=1)
        _check_range("chunk_overlap", self.chunk_overlap, low=0)
        _check_range("requests_per_minute", self.requests_per_minute, low=0, strict=True)
        _check_range("tokens_per_minute", self.tokens_per_minute, low=0, strict=True)
        if self.chunk_overlap >= self.chunk_chars:
            raise ConfigurationError(
                f"chunk_overlap ({self.chunk_overlap}) must be less than chunk_chars "
                f"({self.chunk_chars})"
            )

    def merged(self, **options: Any) -> LLMSettings:
        """A copy with ``options`` set (None leaves a field as it is); unknown names are
        an :class:`~zsextract.errors.UnknownOptionError`."""
        _refuse_unknown("LLMSettings", options, _names(LLMSettings))
        return replace(self, **{k: v for k, v in options.items() if v is not None})

    def changed(self) -> list[str]:
        """Names of the fields that differ from their defaults."""
        default = LLMSettings()
        return [f.name for f in fields(self) if getattr(self, f.name) != getattr(default, f.name)]

    def generation(self) -> dict[str, Any]:
        """Settings that change the model's answer (part of the cache key)."""
        return {
            "temperature": self.temperature,
            "max_tokens": self.max_tokens,
            "candidates": self.candidates,
            "chunk_chars": self.chunk_chars,
            "chunk_overlap": self.chunk_overlap,
        }


@dataclass(frozen=True)
class BatchOptions:
    """How a batch run goes: where it writes, how many documents are in flight, whether
    it resumes, shows progress and keeps results in memory. Checked when made."""

    cli_panel: ClassVar[str] = "Batch run"

    output: str | Path | None = option(
        None, cli=False, help="JSONL written line by line, one line per document."
    )
    resume: bool = option(False, help="Skip documents already done; retry failed ones.")
    concurrency: int = option(8, short="-j", help="Documents in flight.")
    processes: int | None = option(
        None,
        help="Processes sharing the documents in flight (default: one per core, or 1 "
        "for a rate-limited run, a backend instance or a client of your own).",
    )
    progress: bool = option(False, cli=False, help="Show a progress bar on stderr.")
    prices: Mapping[str, Any] | None = option(
        None, cli=False, help="A price table as in data/prices.json (default: that file)."
    )
    keep_results: bool | None = option(
        None,
        cli=False,
        help="Keep every result in the summary (default: only when there is no output).",
    )

    def __post_init__(self) -> None:
        if isinstance(self.concurrency, bool) or not isinstance(self.concurrency, int):
            raise ConfigurationError(f"concurrency must be an integer, not {self.concurrency!r}")
        _check_range("concurrency", self.concurrency, low=1)
        if self.processes is not None:
            if isinstance(self.processes, bool) or not isinstance(self.processes, int):
                raise ConfigurationError(
                    f"processes must be an integer or None, not {self.processes!r}"
                )
            _check_range("processes", self.processes, low=1)

    @property
    def output_path(self) -> Path | None:
        return None if self.output is None else Path(self.output)

    @property
    def keep(self) -> bool:
        return (self.output is None) if self.keep_results is None else self.keep_results


@cache
def _field_names(kind: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(kind))


def _names(kind: type) -> list[str]:
    return list(_field_names(kind))


def _refuse_unknown(
    where: str, options: Mapping[str, Any], known: list[str], kind: str = "LLM"
) -> None:
    for name in options:
        if name not in known:
            close = difflib.get_close_matches(name, known, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f"; known: {', '.join(known)}"
            raise UnknownOptionError(f"{where}: unknown {kind} option {name!r}{hint}")


def split_options(
    where: str, options: Mapping[str, Any], *, batch: bool = False
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Keyword options sorted into (LLMSettings fields, BatchOptions fields); any other
    name is an :class:`~zsextract.errors.UnknownOptionError` (a ``TypeError``)."""
    llm_names = _names(LLMSettings)
    batch_names = _names(BatchOptions) if batch else []
    _refuse_unknown(where, options, llm_names + batch_names, "batch or LLM" if batch else "LLM")
    llm = {k: v for k, v in options.items() if k in llm_names}
    runs = {k: v for k, v in options.items() if k in batch_names}
    return llm, runs


def cli_fields(kind: type) -> list[Field[Any]]:
    """The fields of ``kind`` that are command-line flags."""
    return [f for f in fields(kind) if f.metadata.get("cli", False)]
