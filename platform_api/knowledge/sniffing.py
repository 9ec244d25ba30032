"""Do an upload's bytes match the text type its name declares?

The type of an upload is decided by its name (``notes.md``) or declared content type,
never by its bytes, and the worker's text parsers read anything: they fall back to
Latin-1, which decodes every byte sequence. So random bytes or a PNG named ``.txt`` or
``.md`` used to be ingested as chunks of garbage. This module looks at the bytes before
anything is stored: a known binary signature, NUL bytes, or text that is mostly control
characters once decoded the way the worker decodes it, is refused at the API boundary;
so is a text with nothing but whitespace in it.
"""

from __future__ import annotations

import re

# Leading bytes of common binary formats, and what to call them in the error.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"%PDF-", "a PDF (upload it under a .pdf name)"),
    (b"PK\x03\x04", "a ZIP archive or an Office document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office document"),
    (b"\x7fELF", "an executable"),
    (b"\x00asm", "a WebAssembly module"),
    (b"SQLite format 3\x00", "an SQLite database"),
)
_LABELS = {"text/plain": "plain text", "text/markdown": "Markdown", "text/html": "HTML"}
# Characters no text file is made of: C0 controls (but tab, newlines, form feed and the
# escape of terminal colours), DEL, the replacement character and private-use code
# points. Not C1 controls: Windows-1252 punctuation (curly quotes, dashes) read as
# Latin-1 becomes those.
_NOT_TEXT = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f\ufffd\ue000-\uf8ff]")
# Above this share of such characters the "text" is binary data read as Latin-1
# (random bytes come to about a tenth).
MAX_CONTROL_SHARE = 0.05
# What the worker drops from HTML before it reads the words: comments, scripts, styles,
# tags and entities; and from Markdown the syntax around the words.
_HTML_NOISE = re.compile(
    r"<!--.*?-->|<(script|style|template)\b.*?</\1\s*>|<[^>]*>|&#?\w+;", re.I | re.S
)
_MARKDOWN_NOISE = re.compile(r"!?\[\]\([^)]*\)|<[^>]*>|[#>*_`~|\-=+\[\]()!:]")
# A letter or digit in any script: a document without one has nothing to retrieve.
_WORD = re.compile(r"[^\W_]")


def binary_kind(content: bytes) -> str | None:
    """What a binary file is, from its leading bytes (None if no known signature)."""
    for signature, kind in _SIGNATURES:
        if content.startswith(signature):
            return kind
    if content[:4] == b"RIFF" and content[8:12] in (b"WEBP", b"WAVE", b"AVI "):
        return {b"WEBP": "a WebP image", b"WAVE": "a WAV file", b"AVI ": "an AVI video"}[
            content[8:12]
        ]
    if content[4:8] == b"ftyp":
        return "an MP4, MOV or HEIC file"
    return None


def decode_like_the_worker(content: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030, else Latin-1: what the parsers will read.

    The same order as ``activities.document_parsing.decode_text`` (which the API may not
    import).
    """
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    return content.decode("latin-1")


def text_problem(content_type: str, content: bytes) -> str | None:
    """Why ``content`` is not a text of ``content_type``, or None if it is one."""
    label = _LABELS.get(content_type)
    if label is None:
        return None
    kind = binary_kind(content)
    if kind is not None:
        return f"the file is {kind}, not {label}"
    if b"\x00" in content:
        return f"the file holds binary data (NUL bytes), not {label} (UTF-16? save it as UTF-8)"
    text = decode_like_the_worker(content)
    if not text.strip():
        return "the document has no text (it is only whitespace)"
    controls = len(text) - len(_NOT_TEXT.sub("", text))
    if controls > MAX_CONTROL_SHARE * len(text):
        return f"the file holds binary data, not {label}"
    if not has_words(content_type, text):
        if content_type == "text/plain":
            return "the document has no text to index (no letters or digits)"
        return f"the document has no text to index (only {label} markup)"
    return None


def has_words(content_type: str, text: str) -> bool:
    """Whether any letter or digit is left once the markup of ``content_type`` is removed."""
    if content_type == "text/html":
        text = _HTML_NOISE.sub(" ", text)
    elif content_type == "text/markdown":
        text = _MARKDOWN_NOISE.sub(" ", text)
    return _WORD.search(text) is not None
