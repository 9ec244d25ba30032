"""Chunking: token budgets hold, neighbours overlap, cuts prefer sentence ends."""

from __future__ import annotations

import pytest

from activities.chunking import WordPieceTokenizer, chunk_document
from activities.document_parsing import ParsedDocument, Section


@pytest.fixture(scope="module")
def tokenizer() -> WordPieceTokenizer:
    return WordPieceTokenizer()


def _long_text(sentences: int) -> str:
    return " ".join(f"Sentence {i} says the harbour opens at dawn." for i in range(sentences))


def test_chunks_fit_the_budget_overlap_and_end_on_sentences(tokenizer: WordPieceTokenizer) -> None:
    document = ParsedDocument(title=None, sections=[Section((), _long_text(60))])
    chunks = chunk_document(document, tokenizer, chunk_size=50, overlap=10)
    assert len(chunks) > 5
    assert [c.index for c in chunks] == list(range(len(chunks)))
    for chunk in chunks:
        assert chunk.token_count <= 50
        assert tokenizer.count(chunk.text) <= 50
        assert chunk.text.endswith(".")  # cut after a sentence, not mid-word
    for before, after in zip(chunks, chunks[1:], strict=False):
        assert after.text.split()[0] in before.text  # neighbours share the overlap
    covered = " ".join(c.text for c in chunks)
    assert all(f"Sentence {i} " in covered for i in range(60))


def test_headings_and_title_count_against_the_budget(tokenizer: WordPieceTokenizer) -> None:
    document = ParsedDocument(
        title="Port manual",
        sections=[Section(("Operations", "Opening hours"), _long_text(20), page=3)],
    )
    chunks = chunk_document(document, tokenizer, chunk_size=60, overlap=0)
    for chunk in chunks:
        assert chunk.headings == ("Operations", "Opening hours") and chunk.page == 3
        assert chunk.embed_text.startswith("Port manual > Operations > Opening hours\n")
        assert tokenizer.count(chunk.embed_text) <= 60


def test_a_short_section_is_one_chunk_and_chunking_is_deterministic(
    tokenizer: WordPieceTokenizer,
) -> None:
    document = ParsedDocument(title="T", sections=[Section(("T",), "Short.")])
    [chunk] = chunk_document(document, tokenizer, chunk_size=256, overlap=32)
    assert (chunk.text, chunk.embed_text) == ("Short.", "T\nShort.")
    long = ParsedDocument(title=None, sections=[Section((), _long_text(40))])
    first = chunk_document(long, tokenizer, chunk_size=40, overlap=8)
    assert first == chunk_document(long, tokenizer, chunk_size=40, overlap=8)


def test_text_without_sentence_ends_is_cut_at_the_budget(tokenizer: WordPieceTokenizer) -> None:
    words = " ".join(f"word{i}" for i in range(300))
    document = ParsedDocument(title=None, sections=[Section((), words)])
    chunks = chunk_document(document, tokenizer, chunk_size=64, overlap=16)
    assert all(c.token_count <= 64 for c in chunks)
    assert chunks[-1].text.endswith("word299")
