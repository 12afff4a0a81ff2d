"""Copies of one article in a collection: reposts with other chrome, Traditional
mirrors with pinyin glosses, reprints with rounded figures.

Each document is reduced to its Chinese characters and digits in Simplified script
(so glosses, markup and punctuation fall away), cut into overlapping shingles of a few
characters, and summarised by a MinHash (``datasketch``). Locality-sensitive hashing
(``MinHashLSH``) proposes pairs whose shingles overlap by about the threshold or more;
a pair is a copy when the MinHash estimate of its Jaccard similarity reaches the
threshold. Copies are grouped transitively (a mirror of a repost is a copy of the
original). Settings are in ``data/consolidate.json`` (``copies``).

Memory is one signature per document (``num_perm`` 64-bit values, 1 KiB by default)
plus the LSH tables; the text is not kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any

from ..datafiles import load_data
from ..errors import ConfigurationError
from ..text.script import fold

try:
    import numpy as np
except ImportError:  # numpy comes with datasketch
    raise ConfigurationError(
        'finding copies needs datasketch and numpy: pip install "zsextract[dataset]"'
    ) from None

__all__ = ["CopyFinder", "find_copies", "shingle_hashes"]

_NOT_KEPT = re.compile(r"[^\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff0-9]+")
_MULTIPLIER = np.uint64(1_000_003)
_LOW_32 = np.uint64(0xFFFFFFFF)


def _datasketch() -> Any:
    try:
        import datasketch
    except ImportError:
        raise ConfigurationError(
            'finding copies needs datasketch: pip install "zsextract[dataset]"'
        ) from None
    return datasketch


@cache
def _settings() -> dict[str, Any]:
    copies: dict[str, Any] = load_data("consolidate")["copies"]
    return copies


def shingle_hashes(text: str, size: int | None = None) -> np.ndarray:
    """The distinct 32-bit hashes of the ``size``-character shingles of ``text``'s
    Chinese characters and digits (Simplified script)."""
    size = size or int(_settings()["shingle"])
    kept = _NOT_KEPT.sub("", fold(text))
    codes = np.frombuffer(kept.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    if len(codes) < size:
        codes = np.pad(codes, (0, size - len(codes)))
    count = len(codes) - size + 1
    hashes = np.zeros(count, dtype=np.uint64)
    for i in range(size):  # a polynomial hash of each window, wrapping at 64 bits
        hashes = hashes * _MULTIPLIER + codes[i : i + count]
    return np.unique(hashes & _LOW_32)


def _identity(value: Any) -> int:
    return int(value)


class CopyFinder:
    """Add documents one by one; :meth:`groups` gives the copies found among them.

    >>> finder = CopyFinder()                                          # doctest: +SKIP
    >>> finder.add("a", text_a); finder.add("b", text_b)
    >>> finder.groups()                                   # [["a", "b"]] if b copies a
    """

    def __init__(self, threshold: float | None = None, num_perm: int | None = None) -> None:
        ds = _datasketch()
        settings = _settings()
        self.threshold = float(settings["threshold"] if threshold is None else threshold)
        if not 0 < self.threshold <= 1:
            raise ConfigurationError(
                f"the copy threshold must be above 0 and at most 1, not {self.threshold}"
            )
        self.num_perm = int(num_perm or settings["num_perm"])
        template = ds.MinHash(num_perm=self.num_perm, seed=int(settings["seed"]))
        self._minhash, self._lean = ds.MinHash, ds.LeanMinHash
        self._permutations, self._scheme = template.permutations, template.scheme
        self._lsh = ds.MinHashLSH(threshold=self.threshold, num_perm=self.num_perm)
        self._signatures: dict[str, Any] = {}
        self._parent: dict[str, str] = {}
        self._order: dict[str, int] = {}

    def signature(self, text: str) -> Any:
        """The MinHash of ``text``'s shingles."""
        m = self._minhash(
            num_perm=self.num_perm,
            hashfunc=_identity,
            permutations=self._permutations,
            scheme=self._scheme,
        )
        m.update_batch(shingle_hashes(text))
        return self._lean(m)

    def add(self, doc_id: str, text: str) -> list[str]:
        """Add a document; return the ids of the earlier documents it copies."""
        if doc_id in self._signatures:
            raise ValueError(f"document id {doc_id!r} was added twice; ids must be unique")
        signature = self.signature(text)
        found = [
            other
            for other in self._lsh.query(signature)
            if signature.jaccard(self._signatures[other]) >= self.threshold
        ]
        self._lsh.insert(doc_id, signature)
        self._signatures[doc_id] = signature
        self._parent[doc_id] = doc_id
        self._order[doc_id] = len(self._order)
        for other in found:
            self._union(doc_id, other)
        return found

    def _root(self, doc_id: str) -> str:
        parent = self._parent
        while parent[doc_id] != doc_id:
            parent[doc_id] = parent[parent[doc_id]]
            doc_id = parent[doc_id]
        return doc_id

    def _union(self, a: str, b: str) -> None:
        ra, rb = self._root(a), self._root(b)
        if ra != rb:  # the earlier document stays the group's root
            first, second = sorted((ra, rb), key=self._order.__getitem__)
            self._parent[second] = first

    def documents(self) -> list[str]:
        """The ids added, in order."""
        return list(self._order)

    def group_of(self, doc_id: str) -> str:
        """The id of the first document added of ``doc_id``'s group."""
        return self._root(doc_id)

    def groups(self) -> list[list[str]]:
        """Every group of copies, as ids in the order added (single documents too)."""
        members: dict[str, list[str]] = {}
        for doc_id in self._parent:
            members.setdefault(self._root(doc_id), []).append(doc_id)
        return sorted(members.values(), key=lambda ids: self._order[ids[0]])


def find_copies(
    documents: Iterable[tuple[str, str]] | Sequence[tuple[str, str]],
    threshold: float | None = None,
) -> list[list[str]]:
    """Group ``(id, text)`` documents into copies of one article; each group lists its
    ids in input order, the first being the earliest given."""
    finder = CopyFinder(threshold)
    for doc_id, text in documents:
        finder.add(doc_id, text)
    return finder.groups()
