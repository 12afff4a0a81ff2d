"""Where the LLM backend's endpoint, model and key come from (its settings are
:class:`zsextract.options.LLMSettings`)."""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from ..datafiles import load_data
from ..errors import ConfigurationError
from ..options import LLMSettings, Mode

__all__ = [
    "PROVIDERS_ENV",
    "Endpoint",
    "LLMSettings",
    "presets",
    "provider_names",
    "resolve_endpoint",
]


@dataclass(frozen=True)
class Endpoint:
    base_url: str
    model: str
    mode: Mode
    api_key: str = field(repr=False)


#: the environment variable naming a JSON file of presets of your own
PROVIDERS_ENV = "ZSEXTRACT_PROVIDERS"


def presets(environ: Mapping[str, str] | None = None) -> dict[str, dict[str, Any]]:
    """The provider presets: the shipped ones (``data/providers.json``), with those of
    the file ``$ZSEXTRACT_PROVIDERS`` (``{"name": {"base_url": ..., ...}}``) laid over
    them field by field: presets of your own, or a shipped one sent through a proxy."""
    env = os.environ if environ is None else environ
    merged = {k: dict(v) for k, v in load_data("providers")["providers"].items()}
    path = env.get(PROVIDERS_ENV)
    if not path:
        return merged
    try:
        extra = json.loads(Path(path).read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigurationError(
            f"{PROVIDERS_ENV}={path}: cannot read it as JSON ({exc}); fix the file or unset "
            "the variable"
        ) from None
    if not isinstance(extra, dict) or not all(isinstance(v, dict) for v in extra.values()):
        raise ConfigurationError(
            f'{PROVIDERS_ENV}={path}: expected {{"name": {{"base_url": ..., "model": ...}}}}'
        )
    for name, fields in extra.items():
        merged[name] = {**merged.get(name, {}), **fields}
    return merged


def nothing_listens(base_url: str) -> str:
    """What to say when nothing listens at ``base_url``: the address, and the command
    that starts the preset's server there, if a local preset lives there."""
    starts = [
        f"{name}: {preset['start']}"
        for name, preset in presets().items()
        if preset.get("start") and preset["base_url"].rstrip("/") == base_url.rstrip("/")
    ]
    hint = (
        f"start it ({'; '.join(starts)})"
        if starts
        else "start it, or point --base-url (base_url=) at the address it listens on"
    )
    return (
        f"{base_url}: nothing is listening there (connection refused). Is the model "
        f"server running? {hint[0].upper()}{hint[1:]}."
    )


def refused_locally(base_url: str, timeout: float = 1.0) -> bool:
    """Whether a server on this machine (localhost, 127.x) refuses connections at
    ``base_url``: a check of a millisecond before anything heavy is loaded. False for
    other hosts and when the check cannot tell."""
    parts = urlparse(base_url)
    if not _is_local(base_url):
        return False
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        with socket.create_connection((parts.hostname or "localhost", port), timeout=timeout):
            return False
    except ConnectionRefusedError:
        return True
    except OSError:
        return False


def provider_names(environ: Mapping[str, str] | None = None) -> list[str]:
    return sorted(presets(environ))


def _is_local(url: str) -> bool:
    host = urlparse(url).hostname or ""
    return host in ("localhost", "127.0.0.1", "::1") or host.startswith("127.")


def resolve_endpoint(settings: LLMSettings, environ: Mapping[str, str] | None = None) -> Endpoint:
    """Base URL, model, mode and key: explicit settings, then the provider preset, then
    ``OPENAI_BASE_URL`` / ``OPENAI_API_KEY``. A local server needs no key."""
    env = os.environ if environ is None else environ
    preset: dict[str, Any] = {}
    if settings.provider:
        known = presets(env)
        if settings.provider not in known:
            raise ConfigurationError(
                f"unknown provider {settings.provider!r}: choose one of {', '.join(sorted(known))}"
            )
        preset = known[settings.provider]
    base_url = (
        settings.base_url
        or preset.get("base_url")
        or env.get("OPENAI_BASE_URL")
        or "https://api.openai.com/v1"
    )
    model = settings.model or preset.get("model") or env.get("ZSEXTRACT_MODEL")
    if not model:
        if "api.openai.com" in base_url:
            model = presets(env)["openai"]["model"]
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
