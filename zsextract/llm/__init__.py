"""The LLM backend: any OpenAI-compatible endpoint, through instructor, grounded in the
article by the shared readers (zsextract/readers), retried, cached and replayable from cassettes."""

from __future__ import annotations

from .backend import LLMBackend
from .prompts import PromptSet, load_prompts
from .settings import Endpoint, LLMSettings, provider_names, resolve_endpoint

__all__ = [
    "Endpoint",
    "LLMBackend",
    "LLMSettings",
    "PromptSet",
    "load_prompts",
    "provider_names",
    "resolve_endpoint",
]
