"""An upload whose bytes don't match its declared text type is a 422 before anything is
stored (issue 17): random bytes or a PNG named .txt / .md used to be ingested as garbage
chunks, and a whitespace-only text failed with "a scanned PDF needs OCR first"."""

from __future__ import annotations

import random
from typing import Any

import pytest

from platform_api.knowledge.sniffing import text_problem
from tests.conftest import HASHING_MODEL
from tests.helpers import Platform
from tests.knowledge_helpers import create_kb, documents, new_tenant, upload

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
# Random bytes with no NUL (so only the share of control characters gives them away).
NOISE = bytes(b or 1 for b in random.Random(17).randbytes(4096))


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (PNG, "a PNG image, not Markdown"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "a JPEG image"),
        (b"PK\x03\x04\x14\x00\x06\x00", "a ZIP archive"),
        (b"%PDF-1.7\n", "a PDF (upload it under a .pdf name)"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "a WebP image"),
        (b"\x00\x00\x00\x18ftypheic", "an MP4, MOV or HEIC file"),
        (b"hello\x00world", "binary data (NUL bytes)"),
        ("h\x00e\x00l\x00l\x00o\x00".encode("latin-1"), "binary data (NUL bytes)"),
        (NOISE, "binary data, not Markdown"),
        (b"   \n\t\r\n  ", "the document has no text"),
        (b"\xef\xbb\xbf \n", "the document has no text"),  # a BOM and spaces
    ],
)
def test_bytes_that_are_not_text_are_named(content: bytes, expected: str) -> None:
    problem = text_problem("text/markdown", content)
    assert problem is not None and expected in problem, problem


@pytest.mark.parametrize(
    "content",
    [
        b"# Title\n\nPlain ASCII.\n",
        "\ufeff# Titel\n\nUmlaute: \u00e4\u00f6\u00fc\n".encode(),  # UTF-8 with BOM
        "\u706f\u5854\u770b\u5b88\u4eba\u6bcf\u665a\u4fee\u526a\u706f\u82af\u3002".encode(
            "gb18030"
        ),
        "Caf\u00e9 cr\u00e8me br\u00fbl\u00e9e, na\u00efve fa\u00e7ade.\n".encode("latin-1"),
        "\u201cQuoted,\u201d he said \u2013 twice.\n".encode("cp1252"),  # C1 bytes, a few
        b"log line \x1b[32mOK\x1b[0m with colours\n" * 20,
        b"page one\x0cpage two\n",
    ],
)
def test_real_text_in_its_encodings_passes(content: bytes) -> None:
    for kind in ("text/plain", "text/markdown", "text/html"):
        assert text_problem(kind, content) is None


@pytest.mark.parametrize(
    ("kind", "content"),
    [
        ("text/html", b"<html><head><style>p{}</style></head><body><div>&nbsp;</div></body>"),
        ("text/html", b"<!-- only a comment --><script>var words = 1</script>"),
        ("text/markdown", b"# \n\n---\n\n* \n![](figure.png)\n> \n"),
        ("text/plain", b"... --- !!!\n"),
    ],
)
def test_markup_without_words_is_refused_at_the_api(kind: str, content: bytes) -> None:
    # The worker would have failed it later ("no text"): say so before anything is stored.
    problem = text_problem(kind, content)
    assert problem is not None and "no text to index" in problem, problem


def test_pdfs_are_not_sniffed_as_text() -> None:
    assert text_problem("application/pdf", b"%PDF-1.4 \x00\x01\x02") is None


async def test_uploads_are_refused_before_anything_is_stored(
    platform: Platform, database_urls: Any
) -> None:
    client = platform.client
    _, token = await new_tenant(database_urls.admin_url, client)
    kb = await create_kb(client, token, embedding_model=HASHING_MODEL, embedding_dimension=512)
    for filename, content, expected in (
        ("photo.md", PNG, "the file is a PNG image, not Markdown"),
        ("noise.txt", NOISE, "binary data, not plain text"),
        ("blank.txt", b" \n\n\t \r\n", "the document has no text"),
        ("blank.html", b"\n   \n", "the document has no text"),
    ):
        response = await upload(client, token, kb["id"], filename, content)
        assert response.status_code == 422, (filename, response.text)
        [error] = response.json()["errors"]
        assert error["path"] == "/body/file" and expected in error["message"], error
    assert await documents(client, token, kb["id"]) == []

    # Markup with nothing to index (a Markdown rule alone) is refused at the API too,
    # where it used to pass and fail later on the worker.
    rule = await upload(client, token, kb["id"], "rule.md", b"---\n")
    assert rule.status_code == 422, rule.text
    assert "no text to index" in rule.json()["errors"][0]["message"]
    assert await documents(client, token, kb["id"]) == []
