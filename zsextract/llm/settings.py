"""Where the LLM backend's endpoint, model and key come from (its settings are
:class:`zsextract.options.LLMSettings`)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

from ..datafiles import load_data
from ..errors import ConfigurationError
from ..options import LLMSettings, Mode

__all__ = ["Endpoint", "LLMSettings", "provider_names", "resolve_endpoint"]


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
