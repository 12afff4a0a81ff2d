"""Split a long cleaned article on paragraph boundaries, with overlap."""

from __future__ import annotations

__all__ = ["split_paragraphs"]


def split_paragraphs(text: str, max_chars: int, overlap: int) -> list[tuple[int, int]]:
    """``[start, end)`` spans of ``text``, each at most ``max_chars`` where paragraphs
    allow (a longer paragraph is cut at a sentence end), the next starting with up to
    ``overlap`` characters of whole paragraphs from the end of the previous one."""
    if len(text) <= max_chars:
        return [(0, len(text))]
    overlap = min(overlap, max_chars // 2)
    bounds = []
    pos = 0
    for para in text.split("\n"):
        end = pos + len(para)
        while end - pos > max_chars:  # a paragraph longer than a chunk: cut at 。
            cut = text.rfind("。", pos, pos + max_chars)
            cut = cut + 1 if cut > pos else pos + max_chars
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
        back = [x for x, _ in bounds if max(start + 1, end - overlap) <= x < a]
        start, end = (back[0] if back else a), b
    chunks.append((start, end))
    return chunks
