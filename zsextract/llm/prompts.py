"""Load a versioned prompt set from ``prompts/<version>/`` and render messages from it."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from string import Template
from typing import Any

from ..datafiles import load_data
from ..errors import PromptError

__all__ = ["DEFAULT_PROMPT_VERSION", "PromptSet", "load_prompts"]

DEFAULT_PROMPT_VERSION = "v1"
_FILES = ("system.md", "task.md", "task_candidates.md", "reask.md")


@dataclass(frozen=True)
class PromptSet:
    """The files of one prompt version, and a digest of all of them."""

    version: str
    system: str
    task: str
    task_candidates: str
    reask: str
    examples: tuple[dict[str, Any], ...]
    digest: str

    @property
    def label(self) -> str:
        """``v1+3f2a…``: the version and the digest of its files, for provenance."""
        return f"{self.version}+{self.digest[:8]}"

    def system_message(self) -> str:
        taxonomy = "\n".join(
            f"- {m['code']}：{m['zh']}（如：{'、'.join(m['examples'])}）"
            for m in load_data("taxonomy")["mechanisms"]
        )
        return Template(self.system).substitute(taxonomy=taxonomy)

    def task_message(self, article: str, metadata: str = "", candidates: str | None = None) -> str:
        if candidates is None:
            return Template(self.task).substitute(article=article, metadata=metadata).strip()
        return (
            Template(self.task_candidates)
            .substitute(article=article, metadata=metadata, candidates=candidates)
            .strip()
        )

    def reask_message(self, failures: list[str]) -> str:
        listed = "\n".join(f"- {f}" for f in failures)
        return Template(self.reask).substitute(failures=listed).strip()


def _root(directory: Path | str | None) -> Traversable:
    if directory is not None:
        return Path(directory)
    return resources.files("zsextract.prompts")


def _check_example(example: Any, name: str) -> dict[str, Any]:
    """Every quote in a few-shot example's output occurs in its text."""
    if not isinstance(example, dict) or "text" not in example or "output" not in example:
        raise PromptError(f"few-shot example {name} needs 'text' and 'output'")
    text = example["text"]

    def quotes(node: Any) -> list[str]:
        if isinstance(node, dict):
            found = [v for k, v in node.items() if k in ("quote", "amount_quote") and v]
            return found + [q for v in node.values() for q in quotes(v)]
        if isinstance(node, list):
            return [q for v in node for q in quotes(v)]
        return []

    missing = [q for q in quotes(example["output"]) if q not in text]
    if missing:
        raise PromptError(f"few-shot example {name}: quotes not in its text: {missing}")
    return example


@cache
def _load(version: str, directory: str | None) -> PromptSet:
    root = _root(directory).joinpath(version)
    if not root.is_dir():
        raise PromptError(
            f"no prompt version {version!r} in {directory or 'zsextract.prompts'}: "
            "use an existing folder such as v1"
        )
    texts = {}
    digest = hashlib.sha256(version.encode())
    for name in _FILES:
        node = root.joinpath(name)
        if not node.is_file():
            raise PromptError(f"prompt version {version!r} lacks {name}")
        texts[name] = node.read_text("utf-8")
        digest.update(texts[name].encode("utf-8"))
    examples = []
    folder = root.joinpath("examples")
    if folder.is_dir():
        for node in sorted(folder.iterdir(), key=lambda n: n.name):
            if node.name.endswith(".json"):
                raw = node.read_text("utf-8")
                digest.update(raw.encode("utf-8"))
                examples.append(_check_example(json.loads(raw), node.name))
    return PromptSet(
        version=version,
        system=texts["system.md"],
        task=texts["task.md"],
        task_candidates=texts["task_candidates.md"],
        reask=texts["reask.md"],
        examples=tuple(examples),
        digest=digest.hexdigest(),
    )


def load_prompts(
    version: str = DEFAULT_PROMPT_VERSION, directory: Path | str | None = None
) -> PromptSet:
    """The prompt set ``version`` from the packaged prompts (or from ``directory``)."""
    return _load(version, None if directory is None else str(directory))
