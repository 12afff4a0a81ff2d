"""Backends built by name, kept and reused for equal settings.

``zsextract.extract(text, backend="llm", model=...)`` in a loop would otherwise build a
backend per call: a new client, its SSL certificates loaded again (about 20 ms) and a
new connection for every article. Here the backend made for a name, its settings and
the environment it read (``OPENAI_BASE_URL``, the key variables …) is kept, and the
next call with the same three gets the same backend. A backend is safe to share across
threads, forks and event loops (``llm/clients.py``). Calls with a ``client`` of their
own, and backends registered by users (which may keep state), are built every time.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from functools import cache
from typing import Any

from ..datafiles import load_data
from ..options import LLMSettings
from . import Backend, build_backend

__all__ = ["shared_backend"]

#: backend names whose instances are reused (built in, stateless between calls)
REUSED = ("llm",)
#: at most this many kept (least recently used dropped first)
KEPT_AT_MOST = 16

_lock = threading.Lock()
_kept: OrderedDict[tuple[Any, ...], Backend] = OrderedDict()


@cache
def _environment_names() -> tuple[str, ...]:
    """The environment variables an endpoint is resolved from (llm/settings.py)."""
    presets = load_data("providers")["providers"].values()
    keys = {p["key_env"] for p in presets if p.get("key_env")}
    return ("OPENAI_BASE_URL", "OPENAI_API_KEY", "ZSEXTRACT_MODEL", *sorted(keys))


def shared_backend(name: str, settings: LLMSettings | None, client: Any = None) -> Backend:
    """The backend ``name`` with ``settings``: a kept one when there is one for the same
    settings and environment, else a new one (kept if ``name`` is in :data:`REUSED`)."""
    if client is not None or name not in REUSED:
        return build_backend(name, settings, client=client)
    key = (
        name,
        settings or LLMSettings(),
        tuple(os.environ.get(n) for n in _environment_names()),
    )
    with _lock:
        found = _kept.get(key)
        if found is not None:
            _kept.move_to_end(key)
            return found
        built = build_backend(name, settings)
        _kept[key] = built
        while len(_kept) > KEPT_AT_MOST:
            _kept.popitem(last=False)
        return built
