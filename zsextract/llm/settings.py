"""Settings of the LLM backend, and where its endpoint, model and key come from."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlparse

from ..datafiles import load_data
from ..errors import ConfigurationError

__all__ = ["Endpoint", "LLMSettings", "provider_names", "resolve_endpoint"]

Mode = Literal["tools", "json_schema", "md_json", "json"]


def _default_cache_dir() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return str(Path(base) / "zsextract")


@dataclass(frozen=True)
class LLMSettings:
    """Everything that shapes an LLM extraction, in one place.

    Endpoint: ``provider`` (a preset in ``data/providers.json``), ``base_url``,
    ``model``, ``mode``, ``api_key``; unset fields come from the preset, then from
    ``OPENAI_BASE_URL`` / ``OPENAI_API_KEY``.
    """

    provider: str | None = None
    base_url: str | None = None
    model: str | None = None
    mode: Mode | None = None
    api_key: str | None = field(default=None, repr=False)
    temperature: float = 0.0
    max_tokens: int | None = 4096
    timeout: float = 120.0
    transport_retries: int = 4
    backoff_initial: float = 1.0
    backoff_max: float = 30.0
    repair_attempts: int = 2
    on_ungrounded: Literal["raise", "drop"] = "raise"
    token_budget: int | None = None
    candidates: bool = False
    prompt_version: str = "v1"
    prompts_dir: str | None = None
    chunk_chars: int = 6000
    chunk_overlap: int = 300
    min_chunk_chars: int = 1500
    use_cache: bool = True
    cache_dir: str = field(default_factory=_default_cache_dir)

    def merged(self, **options: Any) -> LLMSettings:
        """A copy with ``options`` set; unknown names are an error."""
        known = {f.name for f in fields(self)}
        unknown = sorted(set(options) - known)
        if unknown:
            raise ConfigurationError(
                f"unknown LLM option(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}"
            )
        return replace(self, **{k: v for k, v in options.items() if v is not None})

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
class Endpoint:
    base_url: str
    model: str
    mode: Mode
    api_key: str = field(repr=False)


def provider_names() -> list[str]:
    return sorted(load_data("providers")["providers"])


def _is_local(url: str) -> bool:
    host = urlparse(url).hostname or ""
    return host in ("localhost", "127.0.0.1", "::1") or host.startswith("127.")


def resolve_endpoint(settings: LLMSettings, environ: Mapping[str, str] | None = None) -> Endpoint:
    """Base URL, model, mode and key: explicit settings, then the provider preset, then
    ``OPENAI_BASE_URL`` / ``OPENAI_API_KEY``. A local server needs no key."""
    env = os.environ if environ is None else environ
    preset: dict[str, Any] = {}
    if settings.provider:
        presets = load_data("providers")["providers"]
        if settings.provider not in presets:
            raise ConfigurationError(
                f"unknown provider {settings.provider!r}: "
                f"choose one of {', '.join(provider_names())}"
            )
        preset = presets[settings.provider]
    base_url = (
        settings.base_url
        or preset.get("base_url")
        or env.get("OPENAI_BASE_URL")
        or "https://api.openai.com/v1"
    )
    model = settings.model or preset.get("model") or env.get("ZSEXTRACT_MODEL")
    if not model:
        if "api.openai.com" in base_url:
            model = load_data("providers")["providers"]["openai"]["model"]
        else:
            raise ConfigurationError(
                f"no model named for {base_url}: "
                "pass model=... (CLI: --model) or set ZSEXTRACT_MODEL"
            )
    key_env = preset.get("key_env")
    api_key = (
        settings.api_key
        or (env.get(key_env) if key_env else None)
        or env.get("OPENAI_API_KEY")
        or ("EMPTY" if preset.get("local") or _is_local(base_url) else None)
    )
    if not api_key:
        wanted = key_env or "OPENAI_API_KEY"
        raise ConfigurationError(f"no API key for {base_url}: set {wanted} (or pass api_key=...)")
    mode = settings.mode or preset.get("mode") or "tools"
    return Endpoint(base_url=base_url.rstrip("/"), model=model, mode=mode, api_key=api_key)
