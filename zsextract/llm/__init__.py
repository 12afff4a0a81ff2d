"""The LLM backend: any OpenAI-compatible endpoint, through instructor, grounded in the
article by the shared readers (zsextract/readers), retried, cached and replayable from cassettes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .settings import Endpoint, LLMSettings, provider_names, resolve_endpoint

if TYPE_CHECKING:
    from .backend import LLMBackend
    from .prompts import PromptSet, load_prompts


def __getattr__(name: str) -> Any:
    """The backend and prompts are imported when first asked for (they load openai and
    instructor), so that ``zsextract.llm.settings`` stays light for the command line."""
    if name == "LLMBackend":
        from .backend import LLMBackend

        return LLMBackend
    if name in ("PromptSet", "load_prompts"):
        from . import prompts

        return getattr(prompts, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "Endpoint",
    "LLMBackend",
    "LLMSettings",
    "PromptSet",
    "load_prompts",
    "provider_names",
    "resolve_endpoint",
]
