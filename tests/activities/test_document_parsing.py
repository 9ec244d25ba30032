"""Parsing uploads: headings become section paths, titles are found, bad input is refused."""

from __future__ import annotations

import pytest

from activities.document_parsing import (
    DocumentParseError,
    Section,
    content_type_for,
    decode_text,
    parse_document,
)
from tests.knowledge_corpus import simple_pdf


def test_markdown_sections_follow_the_heading_tree() -> None:
    text = b"""# Guide

Intro.

## Install

Run it.

```
pip install thing
```

### Linux

Use apt.

Setext heading
--------------

Last words.
"""
    parsed = parse_document(text, "text/markdown")
    assert parsed.title == "Guide"
    assert parsed.sections == [
        Section(("Guide",), "Intro."),
        Section(("Guide", "Install"), "Run it.\n\npip install thing"),
        Section(("Guide", "Install", "Linux"), "Use apt."),
        Section(("Guide", "Setext heading"), "Last words."),
    ]


def test_html_drops_scripts_and_navigation_and_keeps_heading_paths() -> None:
    html = b"""<html><head><title>Manual</title><script>alert(1)</script></head>
    <body><nav>Home | About</nav><h1>Oven</h1><p>Preheat <b>well</b>.</p>
    <div><h2>Cleaning</h2><ul><li>Cool it</li><li>Wipe it</li></ul></div>
    <p>Fish &amp; chips<br>twice</p><style>p{}</style></body></html>"""
    parsed = parse_document(html, "text/html")
    assert parsed.title == "Manual"
    assert parsed.sections == [
        Section(("Oven",), "Preheat well."),
        Section(("Oven", "Cleaning"), "Cool it\n\nWipe it\n\nFish & chips\ntwice"),
    ]


def test_pdf_pages_and_title_come_from_pypdf() -> None:
    parsed = parse_document(simple_pdf(["Alpha beta (gamma)."], title="Greek"), "application/pdf")
    assert parsed.title == "Greek"
    assert parsed.sections == [Section((), "Alpha beta (gamma).", page=1)]
    with pytest.raises(DocumentParseError):
        parse_document(b"%PDF-1.4 garbage", "application/pdf")


def test_plain_text_title_and_encodings() -> None:
    parsed = parse_document(b"Title line\n\nBody   text\nmore.\n\n\n", "text/plain")
    assert parsed.title == "Title line"
    assert parsed.sections == [Section((), "Title line\n\nBody text\nmore.")]
    assert parse_document(b"Just a sentence.", "text/plain").title is None
    assert decode_text("中文知识库".encode("gb18030")) == "中文知识库"
    assert decode_text("\ufeffbom".encode()) == "bom"
    assert parse_document(b"", "text/plain").sections == []


def test_content_types_by_extension_then_declared_type() -> None:
    assert content_type_for("a.MD", None) == "text/markdown"
    assert content_type_for("page.htm", "application/octet-stream") == "text/html"
    assert content_type_for("noext", "text/plain; charset=utf-8") == "text/plain"
    assert content_type_for("a.docx", "application/msword") is None
