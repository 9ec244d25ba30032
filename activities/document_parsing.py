"""Uploaded bytes → sections of text under their headings (text, Markdown, HTML, PDF).

Markdown goes through markdown-it-py, HTML through BeautifulSoup, PDF through pypdf:
well-kept parsers, so the hard cases (setext headings, code fences, entities, broken
markup, PDF text operators) are theirs to get right. Headings are kept as each
section's path (``("Guide", "Install")``); PDF sections are pages.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import PurePath

SUPPORTED_TYPES = {
    "text/plain": (".txt", ".text"),
    "text/markdown": (".md", ".markdown"),
    "text/html": (".html", ".htm"),
    "application/pdf": (".pdf",),
}
_BLOCK_TAGS = (
    "p", "div", "section", "article", "main", "header", "footer", "aside", "li", "ul", "ol",
    "table", "tr", "td", "th", "pre", "blockquote", "dd", "dt", "dl", "figure", "figcaption",
    "form", "hr",
)  # fmt: skip
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_DROPPED = ("script", "style", "noscript", "template", "svg", "head", "nav")
_SPACES = re.compile(r"[ \t\f\v\r\u00a0]+")


class DocumentParseError(ValueError):
    """The bytes are not a readable document of the declared type (retrying will not help)."""


@dataclass(frozen=True)
class Section:
    """Text under one heading path (or one PDF page)."""

    headings: tuple[str, ...]
    text: str
    page: int | None = None


@dataclass
class ParsedDocument:
    """A document's title and sections, in reading order."""

    title: str | None
    sections: list[Section] = field(default_factory=list)


def content_type_for(filename: str, declared: str | None) -> str | None:
    """The supported type of an upload: by extension first, else the declared type."""
    suffix = PurePath(filename).suffix.lower()
    for kind, suffixes in SUPPORTED_TYPES.items():
        if suffix in suffixes:
            return kind
    base = (declared or "").split(";")[0].strip().lower()
    return base if base in SUPPORTED_TYPES else None


def parse_document(content: bytes, content_type: str) -> ParsedDocument:
    """Parse by type; raises DocumentParseError for unreadable input."""
    if content_type == "application/pdf":
        return _pdf(content)
    text = decode_text(content)
    if content_type == "text/markdown":
        return _markdown(text)
    if content_type == "text/html":
        return _html(text)
    if content_type == "text/plain":
        tidy = _tidy(text)
        return ParsedDocument(title=_title_line(tidy), sections=_nonempty([Section((), tidy)]))
    raise DocumentParseError(f"unsupported content type {content_type!r}")


def decode_text(content: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030 (common for Chinese files), else Latin-1."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    return content.decode("latin-1")


def _tidy(text: str) -> str:
    """Collapse spaces inside lines, keep paragraph breaks, drop blank runs."""
    paragraphs = []
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n")):
        lines = [_SPACES.sub(" ", line).strip() for line in block.split("\n")]
        joined = "\n".join(line for line in lines if line)
        if joined:
            paragraphs.append(joined)
    return "\n\n".join(paragraphs)


def _title_line(text: str) -> str | None:
    """A plain text's title: a short first paragraph of one line that is not a sentence."""
    first = text.split("\n\n", 1)[0]
    if "\n" in first or len(first) > 100 or first.endswith((".", "!", "?", ":", ";")):
        return None
    return first or None


def _nonempty(sections: list[Section]) -> list[Section]:
    return [s for s in sections if s.text.strip()]


def _markdown(text: str) -> ParsedDocument:
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    sections: list[Section] = []
    path: list[tuple[int, str]] = []
    blocks: list[str] = []
    title: str | None = None

    def flush() -> None:
        if blocks:
            sections.append(Section(tuple(h for _, h in path), _tidy("\n\n".join(blocks))))
            blocks.clear()

    for i, token in enumerate(tokens):
        if token.type == "heading_open":
            flush()
            level = int(token.tag[1])
            heading = tokens[i + 1].content.strip()
            path[:] = [(lvl, h) for lvl, h in path if lvl < level] + [(level, heading)]
            if title is None and level == 1:
                title = heading
        elif token.type == "inline" and i > 0 and tokens[i - 1].type != "heading_open":
            blocks.append(token.content)
        elif token.type in ("fence", "code_block", "html_block"):
            blocks.append(token.content)
    flush()
    return ParsedDocument(title=title, sections=_nonempty(sections))


def _html(text: str) -> ParsedDocument:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(text, "html.parser")
    title_tag = soup.find("title")
    title = title_tag.get_text(" ", strip=True) if title_tag else None
    for tag in soup.find_all(_DROPPED):
        tag.decompose()
    marker = "\x00"
    for tag in soup.find_all(_HEADINGS):
        # Headings become one-line markers the text split below recognises.
        heading = _SPACES.sub(" ", tag.get_text(" ", strip=True))
        tag.replace_with(f"\n\n{marker}{tag.name[1]}{heading}\n\n")
    for tag in soup.find_all("br"):
        tag.replace_with("\n")
    for tag in soup.find_all(_BLOCK_TAGS):
        tag.insert_before("\n\n")
        tag.insert_after("\n\n")
    sections: list[Section] = []
    path: list[tuple[int, str]] = []
    blocks: list[str] = []
    for line in soup.get_text().split("\n"):
        if line.startswith(marker):
            if blocks:
                sections.append(Section(tuple(h for _, h in path), _tidy("\n".join(blocks))))
                blocks.clear()
            level, heading = int(line[1]), line[2:].strip()
            path[:] = [(lvl, h) for lvl, h in path if lvl < level] + [(level, heading)]
            if title is None and level == 1:
                title = heading
        else:
            blocks.append(line)
    if blocks:
        sections.append(Section(tuple(h for _, h in path), _tidy("\n".join(blocks))))
    return ParsedDocument(title=title or None, sections=_nonempty(sections))


def _pdf(content: bytes) -> ParsedDocument:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(content))
        if reader.is_encrypted and not reader.decrypt(""):
            raise DocumentParseError("the PDF is encrypted")
        pages = [page.extract_text() or "" for page in reader.pages]
        title = reader.metadata.title if reader.metadata else None
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        if isinstance(exc, DocumentParseError):
            raise
        raise DocumentParseError(f"unreadable PDF: {exc}") from exc
    sections = [Section((), _tidy(text), page=n) for n, text in enumerate(pages, start=1)]
    return ParsedDocument(title=str(title) if title else None, sections=_nonempty(sections))
