"""Decoding bytes from the wild: UTF-8 first, then legacy Arabic code pages.

Arabic archives are often Windows-1256 or ISO-8859-6. We try strict UTF-8
(with or without BOM), then let charset-normalizer choose among the legacy
Arabic encodings, and refuse binary data with an error that names the input.
"""

from __future__ import annotations

from dataclasses import dataclass

ARABIC_LEGACY = ("cp1256", "iso8859_6", "cp720", "cp864")


class DecodeError(ValueError):
    """Input bytes are not text in an encoding we can read."""


@dataclass(slots=True)
class Decoded:
    text: str
    encoding: str


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many C0 control bytes mean this is not a text file."""
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    ctrl = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13, 27))
    return bool(sample) and ctrl / len(sample) > 0.05


def decode_bytes(data: bytes, name: str = "<input>", declared: str | None = None) -> Decoded:
    """Decode ``data`` (read from ``name``) to text, recording the encoding chosen.

    ``declared`` (an HTTP or meta charset) is tried right after UTF-8.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if looks_binary(data):
        raise DecodeError(f"{name}: looks like binary data, not text")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    if declared:
        try:
            return Decoded(data.decode(declared), declared.lower())
        except (LookupError, UnicodeDecodeError):
            pass
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=list(ARABIC_LEGACY)).best()
    if best is not None:
        return Decoded(str(best), best.encoding)
    for enc in ARABIC_LEGACY:  # charset-normalizer found nothing convincing; accept the first clean decode
        try:
            return Decoded(data.decode(enc), enc)
        except UnicodeDecodeError:
            continue
    raise DecodeError(f"{name}: not UTF-8 and not a known Arabic encoding (tried {', '.join(ARABIC_LEGACY)})")
