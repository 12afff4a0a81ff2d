"""Provider presets of one's own ($ZSEXTRACT_PROVIDERS), laid over the shipped ones."""

from __future__ import annotations

import json

import pytest

import zsextract
from zsextract.llm.settings import presets, resolve_endpoint


def test_a_presets_file_adds_presets_and_changes_shipped_ones(tmp_path) -> None:
    path = tmp_path / "providers.json"
    path.write_text(
        json.dumps(
            {
                "deepseek": {"base_url": "https://proxy.example/v1"},
                "mine": {"base_url": "http://127.0.0.1:9999/v1", "model": "m", "mode": "tools"},
            }
        ),
        "utf-8",
    )
    env = {"ZSEXTRACT_PROVIDERS": str(path), "DEEPSEEK_API_KEY": "k"}
    merged = presets(env)
    assert merged["deepseek"]["base_url"] == "https://proxy.example/v1"
    assert merged["deepseek"]["model"] == presets({})["deepseek"]["model"]  # kept
    endpoint = resolve_endpoint(zsextract.LLMSettings(provider="deepseek"), env)
    assert (endpoint.base_url, endpoint.api_key) == ("https://proxy.example/v1", "k")
    mine = resolve_endpoint(zsextract.LLMSettings(provider="mine"), env)
    assert (mine.base_url, mine.model, mine.api_key) == ("http://127.0.0.1:9999/v1", "m", "EMPTY")


@pytest.mark.parametrize("content", ["{not json", '["a list"]', '{"x": 1}'])
def test_a_bad_presets_file_is_a_clear_error(tmp_path, content: str) -> None:
    path = tmp_path / "providers.json"
    path.write_text(content, "utf-8")
    with pytest.raises(zsextract.ConfigurationError, match="ZSEXTRACT_PROVIDERS"):
        presets({"ZSEXTRACT_PROVIDERS": str(path)})
    with pytest.raises(zsextract.ConfigurationError, match="ZSEXTRACT_PROVIDERS"):
        presets({"ZSEXTRACT_PROVIDERS": str(tmp_path / "missing.json")})
