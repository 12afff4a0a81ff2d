"""Split a long cleaned article on paragraph boundaries, with overlap: the LLM backend's
chunks and the rules backend's sections."""

from __future__ import annotations

from bisect import bisect_left

__all__ = ["split_paragraphs"]

#: where a too-long paragraph may be cut, best first: sentence ends, clause ends, commas
_CUTS = ("。！？!?", "；;：:", "，,、", " \t")
#: characters of a number, which a cut backs out of
_NUMBER_CHARS = "0123456789.%０１２３４５６７８９"


def _cut(text: str, start: int, limit: int) -> int:
    """Where to end a piece of ``text[start:limit]``: after the last sentence end, else
    clause end, else comma; failing all, at ``limit`` moved back out of any run of
    digits, so that no number is cut in two."""
    for marks in _CUTS:
        at = max(text.rfind(mark, start + 1, limit) for mark in marks)
        if at > start:
            return at + 1
    cut = limit
    if limit < len(text) and (text[limit].isdigit() or text[limit] in ".%万亿元个"):
        piece = text[start + 1 : limit]  # back out of the number the limit falls in
        cut -= len(piece) - len(piece.rstrip(_NUMBER_CHARS))
    return cut if cut > start + 1 else limit  # one long number: cut it after all


def split_paragraphs(text: str, max_chars: int, overlap: int) -> list[tuple[int, int]]:
    """``[start, end)`` spans of ``text``, each at most ``max_chars`` where paragraphs
    allow (a longer paragraph is cut at a sentence end), the next starting with up to
    ``overlap`` characters of whole paragraphs from the end of the previous one."""
    if len(text) <= max_chars:
        return [(0, len(text))]
    overlap = min(overlap, max_chars // 2)
    bounds = []
    starts = []  # where paragraphs start: only whole paragraphs are repeated
    pos = 0
    for para in text.split("\n"):
        end = pos + len(para)
        starts.append(pos)
        while end - pos > max_chars:  # a paragraph longer than a chunk
            cut = _cut(text, pos, pos + max_chars)
            bounds.append((pos, cut))
            pos = cut
        bounds.append((pos, end))
        pos = end + 1
    chunks: list[tuple[int, int]] = []
    start, end = bounds[0]
    for a, b in bounds[1:]:
        if b - start <= max_chars:
            end = b
            continue
        chunks.append((start, end))
        i = bisect_left(starts, max(start + 1, end - overlap))  # first paragraph to repeat
        start, end = (min(starts[i], a) if i < len(starts) else a), b
    chunks.append((start, end))
    return chunks
