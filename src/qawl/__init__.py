"""qawl — who said what, to whom, when, and according to whom, in Arabic news."""

from qawl.compiled import guard

guard()  # before the core is imported: compiled modules, or their sources if the build is stale

from qawl import pipeline  # noqa: E402
from qawl.model import Attribution, Document  # noqa: E402
from qawl.pipeline import EXTRACTOR_VERSION  # noqa: E402


def extract(text: str, *, published: str | None = None, lang: str | None = None, id: str | None = None,
            meta: dict | None = None) -> Document:
    """Return every attribution in one article as a `qawl/1` Document.

    Pure: no I/O and no state kept between calls; safe from many threads or processes.
    ``published`` (YYYY-MM-DD) anchors relative dates such as ``الأربعاء``.
    """
    # Checked here, not in the compiled core, so a wrong type gets a message that names the argument.
    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__}")
    for arg, value in (("published", published), ("lang", lang), ("id", id)):
        if value is not None and not isinstance(value, str):
            raise TypeError(f"{arg} must be str or None, not {type(value).__name__}")
    if meta is not None and not isinstance(meta, dict):
        raise TypeError(f"meta must be a dict or None, not {type(meta).__name__}")
    return pipeline.extract(text, published=published, lang=lang, id=id, meta=meta)


__version__ = "0.1.0"
__all__ = ["extract", "Document", "Attribution", "EXTRACTOR_VERSION", "__version__"]
