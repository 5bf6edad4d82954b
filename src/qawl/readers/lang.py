"""Language identification per document with py3langid (ships its own model).

Only Arabic and English are extracted; everything else is reported with its own
ISO 639-1 code (or ``und`` when the text gives no evidence) so callers can skip
and count it instead of mis-extracting it.
"""

from __future__ import annotations

import threading

SUPPORTED_LANGS = frozenset({"ar", "en"})

_lock = threading.Lock()
_identifier = None

# Letters that occur in Persian/Urdu/Kurdish but not in Arabic: their presence vetoes the script fallback.
_NON_ARABIC_LETTERS = set("پچژگکیۀےٹڈڑںھۆێڕڵ")


def _get_identifier():
    global _identifier
    if _identifier is None:
        with _lock:
            if _identifier is None:  # the model takes ~1 s to load: once per process
                from py3langid.langid import MODEL_FILE, LanguageIdentifier

                _identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    return _identifier


def _arabic_script_share(text: str) -> tuple[float, bool]:
    letters = arabic = 0
    foreign = False
    for ch in text:
        if ch.isalpha():
            letters += 1
            if "\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f":
                arabic += 1
                if ch in _NON_ARABIC_LETTERS:
                    foreign = True
    return (arabic / letters if letters else 0.0), foreign


def detect_language(text: str, *, sample: int = 2000) -> tuple[str, float]:
    """Return ``(code, confidence)`` for ``text``: ``ar``, ``en``, another code, or ``und``.

    Only the first ``sample`` characters are scored (enough for a stable answer and
    bounded time on huge pages).
    """
    text = (text or "").strip()[:sample]
    if not any(ch.isalpha() for ch in text):
        return "und", 0.0
    code, conf = _get_identifier().classify(text)
    if conf >= 0.5:
        return code, conf
    # Short or mixed texts give weak scores; Arabic script without Persian/Urdu letters is Arabic.
    share, foreign = _arabic_script_share(text)
    if share >= 0.8 and not foreign:
        return "ar", max(conf, share * 0.6)
    if conf < 0.2:
        return "und", conf
    return code, conf


def is_supported(lang: str | None) -> bool:
    return lang in SUPPORTED_LANGS
