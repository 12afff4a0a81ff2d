"""Backends turn cleaned text into report items. Register one with :func:`register_backend`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from ..errors import UnknownBackendError
from ..report.schema import ArticleMeta, Mechanism, Metric, Project, Timeline
from ..text.clean import CleanText

__all__ = [
    "Backend",
    "Extraction",
    "available_backends",
    "default_backend",
    "get_backend",
    "register_backend",
]


@dataclass
class Extraction:
    """What a backend found in one article; evidence offsets index the raw text."""

    region: str | None = None
    period: str | None = None
    metrics: list[Metric] = field(default_factory=list)
    mechanisms: list[Mechanism] = field(default_factory=list)
    timelines: list[Timeline] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    provenance: dict[str, Any] = field(default_factory=dict)


class Backend(Protocol):
    """One method: cleaned article (and what is known about it) in, items out."""

    name: str

    def extract(self, doc: CleanText, meta: ArticleMeta | None = None) -> Extraction: ...


_REGISTRY: dict[str, Callable[[], Backend]] = {}


def register_backend(name: str, factory: Callable[[], Backend]) -> None:
    """Make ``factory()`` available as ``extract(..., backend=name)``."""
    _REGISTRY[name] = factory


def available_backends() -> list[str]:
    """Names of the registered backends."""
    _load_builtins()
    return sorted(_REGISTRY)


def get_backend(name: str) -> Backend:
    """A new instance of the backend registered as ``name``."""
    _load_builtins()
    try:
        factory = _REGISTRY[name]
    except KeyError:
        raise UnknownBackendError(name, list(_REGISTRY)) from None
    return factory()


def default_backend(environ: Mapping[str, str]) -> tuple[str, str | None]:
    """The backend to use when none is named, and a one-line reason when it is rules.

    The LLM backend when an endpoint is configured (``OPENAI_API_KEY`` or
    ``OPENAI_BASE_URL``); otherwise the offline rules backend.
    """
    if environ.get("OPENAI_API_KEY") or environ.get("OPENAI_BASE_URL"):
        return "llm", None
    return "rules", "no LLM endpoint configured (OPENAI_API_KEY / OPENAI_BASE_URL); using rules"


def _llm() -> Backend:
    from ..llm import LLMBackend

    return LLMBackend()


def _load_builtins() -> None:
    if "rules" not in _REGISTRY:
        from .rules.backend import RulesBackend

        register_backend("rules", RulesBackend)
        register_backend("llm", _llm)
