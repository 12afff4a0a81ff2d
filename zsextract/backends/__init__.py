"""Backends turn cleaned text into report items.

The protocol (:class:`Backend`) has a sync and an async method and ``aclose``;
:class:`BackendBase` gives the defaults (async runs the sync method on a thread). A
backend is registered with a factory that takes the :class:`~zsextract.LLMSettings`
and an optional injected client, and every caller (the API, batch runs, the CLI, Ray)
builds backends through :func:`build_backend`.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from ..errors import ConfigurationError, UnknownBackendError
from ..options import LLMSettings
from ..report.schema import ArticleMeta, Mechanism, Metric, Project, Timeline
from ..text.clean import CleanText

__all__ = [
    "Backend",
    "BackendBase",
    "BackendFactory",
    "Extraction",
    "available_backends",
    "build_backend",
    "default_backend",
    "get_backend",
    "register_backend",
    "unregister_backend",
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


@runtime_checkable
class Backend(Protocol):
    """Cleaned article (and what is known about it) in, items out; sync and async."""

    @property
    def name(self) -> str: ...

    @property
    def model(self) -> str | None:
        """The model whose tokens a run is priced by, or None."""
        ...

    def extract(self, doc: CleanText, meta: ArticleMeta | None = None) -> Extraction: ...

    async def aextract(self, doc: CleanText, meta: ArticleMeta | None = None) -> Extraction: ...

    async def aclose(self) -> None:
        """Release what belongs to the running event loop (async clients)."""
        ...


class BackendBase:
    """Defaults for a backend: ``aextract`` runs ``extract`` on a worker thread, nothing
    to close, no model. Subclasses set ``name`` and write ``extract``."""

    name: str = "custom"

    @property
    def model(self) -> str | None:
        return None

    def extract(self, doc: CleanText, meta: ArticleMeta | None = None) -> Extraction:
        raise NotImplementedError

    async def aextract(self, doc: CleanText, meta: ArticleMeta | None = None) -> Extraction:
        return await asyncio.to_thread(self.extract, doc, meta)

    async def aclose(self) -> None:
        return None


class _SyncOnly(BackendBase):
    """An object with only ``name`` and ``extract`` (the older contract), as a Backend."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.name = str(getattr(inner, "name", type(inner).__name__))

    def extract(self, doc: CleanText, meta: ArticleMeta | None = None) -> Extraction:
        result: Extraction = self.inner.extract(doc, meta)
        return result


class BackendFactory(Protocol):
    """``factory(settings, client=...)`` -> a new backend; ``client`` is an injected SDK
    client or None."""

    def __call__(self, settings: LLMSettings, *, client: Any = None) -> Backend: ...


_REGISTRY: dict[str, BackendFactory] = {}
#: the factories that take no arguments, by name: a call without options builds from
#: them directly (no LLMSettings made and checked for a backend that has none)
_PLAIN: dict[str, Callable[[], Any]] = {}


def register_backend(name: str, factory: Callable[..., Any]) -> None:
    """Make ``factory`` available as ``extract(..., backend=name)``.

    ``factory(settings, client=...)`` gets the :class:`~zsextract.LLMSettings` and an
    injected client (or None). A factory that takes no arguments (a class such as
    ``RulesBackend``) is called without them, and refuses options.
    """
    _install(name, factory)


def _install(name: str, factory: Callable[..., Any]) -> None:
    if inspect.signature(factory).parameters:  # takes the settings
        _REGISTRY[name] = factory
        _PLAIN.pop(name, None)
    else:
        _REGISTRY[name] = _no_options(name, factory)
        _PLAIN[name] = factory


def unregister_backend(name: str) -> None:
    """Remove a registered backend (tests restore the registry with it)."""
    _REGISTRY.pop(name, None)
    _PLAIN.pop(name, None)


def _no_options(name: str, factory: Callable[[], Any]) -> BackendFactory:
    def build(settings: LLMSettings, *, client: Any = None) -> Backend:
        changed = settings.changed() + (["client"] if client is not None else [])
        if changed:
            raise ConfigurationError(
                f"{', '.join(changed)} only apply to backend='llm', not {name!r}"
            )
        return as_backend(factory())

    return build


def available_backends() -> list[str]:
    """Names of the registered backends."""
    _load_builtins()
    return sorted(_REGISTRY)


def as_backend(obj: Any) -> Backend:
    """``obj`` as a full :class:`Backend` (an object with only ``extract`` is wrapped)."""
    if isinstance(obj, BackendBase) or isinstance(obj, Backend):  # the first is quick
        return obj
    if callable(getattr(obj, "extract", None)):
        return _SyncOnly(obj)
    raise ConfigurationError(
        f"{type(obj).__name__} is not a backend: it needs name and extract(doc, meta)"
    )


def build_backend(
    backend: str | Backend | Any,
    settings: LLMSettings | None = None,
    *,
    client: Any = None,
) -> Backend:
    """The one place backends are made: a registered name built with ``settings`` (and
    an injected ``client``), or an instance you built, returned as it is (it already
    has its settings: passing more is a :class:`~zsextract.errors.ConfigurationError`)."""
    if settings is None and client is None:  # the common case of a call: nothing to check
        if not isinstance(backend, str):
            return as_backend(backend)
        _load_builtins()
        if backend in _PLAIN:
            return as_backend(_PLAIN[backend]())
    settings = settings or LLMSettings()
    if not isinstance(backend, str):
        changed = settings.changed() + (["client"] if client is not None else [])
        if changed:
            raise ConfigurationError(
                f"pass {', '.join(changed)} to the backend you built, not with it"
            )
        return as_backend(backend)
    _load_builtins()
    try:
        factory = _REGISTRY[backend]
    except KeyError:
        raise UnknownBackendError(backend, list(_REGISTRY)) from None
    return factory(settings, client=client)


def get_backend(name: str) -> Backend:
    """A new instance of the backend registered as ``name``, with default settings."""
    return build_backend(name)


def default_backend(
    environ: Mapping[str, str], settings: LLMSettings | None = None
) -> tuple[str, str | None]:
    """The backend to use when none is named, and a one-line reason when it is rules.

    The LLM backend when an endpoint is named (``settings.provider`` or
    ``settings.base_url``, as ``--provider vllm`` does) or configured
    (``OPENAI_API_KEY`` or ``OPENAI_BASE_URL``); otherwise the offline rules backend.
    """
    named = settings is not None and (settings.provider or settings.base_url)
    if named or environ.get("OPENAI_API_KEY") or environ.get("OPENAI_BASE_URL"):
        return "llm", None
    return "rules", "no LLM endpoint configured (OPENAI_API_KEY / OPENAI_BASE_URL); using rules"


#: the built-in backends, imported when first built (the LLM one loads openai and
#: instructor); named by path so that this registry imports no backend
BUILTINS = {
    "rules": "zsextract.backends.rules:RulesBackend",
    "llm": "zsextract.llm:LLMBackend",
}


def _lazy(name: str, path: str) -> BackendFactory:
    def build(settings: LLMSettings, *, client: Any = None) -> Backend:
        module, attribute = path.split(":")
        factory = getattr(importlib.import_module(module), attribute)
        _install(name, factory)
        return _REGISTRY[name](settings, client=client)

    return build


def _load_builtins() -> None:
    for name, path in BUILTINS.items():
        _REGISTRY.setdefault(name, _lazy(name, path))
