"""Keyword terms of a text, as sparse vectors for the keyword half of hybrid search.

Words are lower-cased runs of letters and digits; runs of CJK characters, which have no
spaces between words, become overlapping character bigrams. Each term is hashed (CRC-32,
stable across processes) to a sparse index; Qdrant applies IDF at query time, so a
document's value is only its saturated term frequency.
"""

from __future__ import annotations

import re
import zlib
from collections import Counter

from qdrant_client import models

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]+")
# BM25's k1: the third occurrence of a word counts less than the first.
SATURATION = 1.2
STOPWORDS = frozenset(
    "a an and are as at be by for from has have how in is it its of on or that the this to "
    "was were what when where which who why with does do did can could would should".split()
)


def terms(text: str) -> list[str]:
    """Search terms of ``text``: words, plus CJK character bigrams, without stopwords."""
    found: list[str] = []
    for word in _WORD.findall(text.lower()):
        for piece in _CJK.split(word):
            if piece and piece not in STOPWORDS:
                found.append(piece)
        for run in _CJK.findall(word):
            found.extend(run if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)])
    return found


def term_index(term: str) -> int:
    """The sparse index of a term (stable across processes and machines)."""
    return zlib.crc32(term.encode("utf-8"))


def document_vector(text: str) -> models.SparseVector:
    """A document's keyword vector: saturated term frequencies."""
    counts = Counter(term_index(t) for t in terms(text))
    indices = sorted(counts)
    values = [counts[i] * (SATURATION + 1) / (counts[i] + SATURATION) for i in indices]
    return models.SparseVector(indices=indices, values=values)


def query_vector(text: str) -> models.SparseVector:
    """A query's keyword vector: each distinct term once."""
    indices = sorted({term_index(t) for t in terms(text)})
    return models.SparseVector(indices=indices, values=[1.0] * len(indices))
