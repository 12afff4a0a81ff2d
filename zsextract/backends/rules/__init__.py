"""The offline rules backend: metrics, mechanisms, timelines and projects from word
lists and patterns kept as data files; no model, no key."""

from __future__ import annotations

from .backend import RulesBackend

__all__ = ["RulesBackend"]
