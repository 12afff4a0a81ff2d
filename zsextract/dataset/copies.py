"""Copies of one article in a collection: reposts with other chrome, Traditional
mirrors with pinyin glosses, reprints with rounded figures.

Each document is reduced to its Chinese characters and digits in Simplified script
(so glosses, markup and punctuation fall away), cut into overlapping shingles of a few
characters, and summarised by a MinHash (``datasketch``). Locality-sensitive hashing
(``MinHashLSH``) proposes pairs whose shingles overlap by about the threshold or more;
a pair is a copy when the MinHash estimate of its Jaccard similarity reaches the
threshold. Copies are grouped transitively (a mirror of a repost is a copy of the
original). Settings are in ``data/consolidate.json`` (``copies``).

Memory is one signature per indexed document (``num_perm`` 32-bit values, 512 bytes
by default) plus the LSH tables; the text is not kept. A copy nearly identical to one
it matched (``near_identical``) is not indexed, a group has at most
``indexed_per_group`` members in the index, and a document is compared with at most
``tries_per_group`` members of a group it does not match: a farm of thousands of
mirrors costs linear time, not quadratic. The price: a document like only an
unindexed member of a group, and no indexed one, is not found to be its copy (the Ray
path, which compares every pair that shares a band, finds it). A text with fewer
Chinese characters and digits than a shingle is no copy of anything.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
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

__all__ = ["CopyFinder", "find_copies", "group_pairs", "shingle_hashes", "similar"]

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
    if len(codes) < size:  # nothing to compare: an empty, foreign or punctuation text
        return np.zeros(0, dtype=np.uint64)
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
        self._near_identical = float(settings["near_identical"])
        self._tries = int(settings["tries_per_group"])
        self._per_group = int(settings["indexed_per_group"])
        self._indexed_in: dict[str, int] = {}  # a group's root -> its members indexed
        template = ds.MinHash(num_perm=self.num_perm, seed=int(settings["seed"]))
        self._minhash, self._lean = ds.MinHash, ds.LeanMinHash
        self._permutations, self._scheme = template.permutations, template.scheme
        self._lsh = ds.MinHashLSH(threshold=self.threshold, num_perm=self.num_perm)
        self._signatures: dict[str, Any] = {}
        self._parent: dict[str, str] = {}
        self._order: dict[str, int] = {}

    def signature(self, text: str) -> Any:
        """The MinHash of ``text``'s shingles; None for a text too short to have one
        (it is no copy of anything)."""
        shingles = shingle_hashes(text)
        if not len(shingles):
            return None
        m = self._minhash(
            num_perm=self.num_perm,
            hashfunc=_identity,
            permutations=self._permutations,
            scheme=self._scheme,
        )
        m.update_batch(shingles)
        return self._lean(m)

    @staticmethod
    def signature_bytes(signature: Any) -> bytes:
        """``signature``'s hash values as bytes of 64-bit integers, for :func:`similar`."""
        return bytes(np.asarray(signature.hashvalues, dtype=np.uint64).tobytes())

    def bands(self, signature: Any) -> list[str]:
        """The LSH band keys of ``signature`` (as the finder's index makes them): two
        documents are candidates when they share one (the Ray path groups by them)."""
        values = signature.hashvalues
        return [
            f"{n}:{values[start:end].tobytes().hex()}"
            for n, (start, end) in enumerate(self._lsh.hashranges)
        ]

    def add(self, doc_id: str, text: str) -> list[str]:
        """Add a document; return the ids of the earlier documents it was found to copy
        (one per group it joins)."""
        if doc_id in self._order:
            raise ValueError(f"document id {doc_id!r} was added twice; ids must be unique")
        self._parent[doc_id] = doc_id
        self._order[doc_id] = len(self._order)
        signature = self.signature(text)
        if signature is None:
            return []
        found: list[str] = []
        given_up: dict[str, int] = {}
        near_identical = False
        for other in self._lsh.query(signature):
            group = self._root(other)
            if group == self._root(doc_id) or given_up.get(group, 0) >= self._tries:
                continue  # joined already, or tried enough of its members
            similarity = signature.jaccard(self._signatures[other])
            if similarity >= self.threshold:
                self._union(doc_id, other)
                found.append(other)
                near_identical = near_identical or similarity >= self._near_identical
            else:
                given_up[group] = given_up.get(group, 0) + 1
        root = self._root(doc_id)
        if not near_identical and self._indexed_in.get(root, 0) < self._per_group:
            self._lsh.insert(doc_id, signature)
            self._signatures[doc_id] = signature
            self._indexed_in[root] = self._indexed_in.get(root, 0) + 1
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
            joined = self._indexed_in.pop(second, 0)
            if joined:
                self._indexed_in[first] = self._indexed_in.get(first, 0) + joined

    def indexed(self) -> int:
        """How many documents the LSH index holds (copies nearly identical to a member
        of their group are not indexed)."""
        return len(self._signatures)

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


def similar(a: bytes, b: bytes) -> float:
    """The MinHash estimate of the Jaccard similarity of two signatures given as
    :meth:`CopyFinder.signature_bytes` (as the finder's ``jaccard`` computes it)."""
    x, y = np.frombuffer(a, dtype=np.uint64), np.frombuffer(b, dtype=np.uint64)
    return float(np.count_nonzero(x == y)) / len(x)


def group_pairs(pairs: Iterable[tuple[str, str]], rank: Callable[[str], Any]) -> list[list[str]]:
    """Groups of the documents ``pairs`` join (transitively), each in ``rank`` order."""
    parent: dict[str, str] = {}

    def root(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = root(a), root(b)
        if ra != rb:
            first, second = sorted((ra, rb), key=rank)
            parent[second] = first
    members: dict[str, list[str]] = {}
    for x in parent:
        members.setdefault(root(x), []).append(x)
    return sorted(
        (sorted(m, key=rank) for m in members.values() if len(m) > 1), key=lambda g: rank(g[0])
    )


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
