"""The extraction pipeline: text in, `qawl/1` Document out. Pure; no I/O."""

from __future__ import annotations

from qawl.model import Document

# Stored with every extraction; bump when output can change so `qawl reindex` redoes old articles.
EXTRACTOR_VERSION = "0.1.0"


def extract(text: str, *, published: str | None = None, lang: str | None = None, id: str | None = None,
            meta: dict | None = None) -> Document:
    """Return every attribution in one article (placeholder until the core lands)."""
    if not isinstance(text, str):
        raise TypeError("text must be str")
    return Document(text=text, id=id, lang=lang or "ar", published=published, meta=dict(meta or {}))
