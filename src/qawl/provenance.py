"""Statement provenance: one quotation carried by several articles is one statement.

Pure functions shared by the store and the Dask batch. Two reports are the
same statement when their normalised content is identical (``fingerprint``)
or near-identical (word 3-shingle Jaccard >= ``NEAR``, for contents of at
least ``MIN_NEAR_WORDS`` content words), and their speakers do not
contradict each other (same speaker block key, or one of them unknown).
Short contents (``لا تعليق``) need an exact match AND a known, equal speaker.

Candidates are found by ``keys(...)``: the exact fingerprint plus the
``BOTTOM_K`` smallest shingle hashes; two near-duplicates share at least one
key with high probability. A statement is a connected component of the
"same statement" relation over reports that share a key, so grouping does
not depend on the order reports arrive in (``group`` computes it in one go).
"""

from __future__ import annotations

import hashlib
import zlib
from collections import defaultdict
from collections.abc import Sequence
from itertools import accumulate
from typing import Any

from qawl.normalize import key_fold, strip_clitics, words


def _folded_set(text: str) -> frozenset[str]:
    return frozenset(key_fold(w) for w in text.split())


NEAR = 0.6
MIN_NEAR_WORDS = 6
BOTTOM_K = 4
SHINGLE = 3

# Function words dropped from fingerprints (compared after folding and clitic stripping).
STOPWORDS = _folded_set("""
في من على الى إلى عن مع ان أن إن لا ما لم لن قد هذا هذه ذلك تلك التي الذي الذين هو هي هم نحن انا
كان كانت يكون او أو ثم كل بعض غير بين عند حتى اذا إذا لقد وقد فقد
""")


class _StrippedWords(dict[str, str]):
    """Word -> :func:`strip_clitics` of it, filled on first use (words recur; a lookup costs no call)."""

    __slots__ = ()
    LIMIT = 1 << 17

    def __missing__(self, w: str) -> str:
        if len(self) >= self.LIMIT:
            self.clear()
        v = self[w] = strip_clitics(w)
        return v


_stripped = _StrippedWords()


def _strip_clitics(w: str) -> str:
    return _stripped[w]


def norm_words(text: str) -> list[str]:
    """Folded, clitic-stripped words of ``text``: the unit of search and provenance."""
    return list(map(_stripped.__getitem__, words(key_fold(text or ""))))


def search_text(text: str) -> str:
    """The normalised copy of a content that full-text search indexes."""
    return " ".join(norm_words(text))


def content_words(text: str) -> list[str]:
    return content_of_norm(norm_words(text))


def content_of_norm(nw: Sequence[str]) -> list[str]:
    """Content words from :func:`norm_words` output (function words and single letters dropped)."""
    return [w for w in nw if w not in STOPWORDS and len(w) > 1]


def fingerprint(text: str) -> str:
    """Exact-after-normalisation fingerprint of a content."""
    return hashlib.blake2b(" ".join(content_words(text)).encode(), digest_size=10).hexdigest()


def shingles(cw: Sequence[str]) -> set[tuple[str, ...]]:
    """Word 3-shingles of content words."""
    return {tuple(cw[i:i + SHINGLE]) for i in range(len(cw) - SHINGLE + 1)}


def _shingle_hashes(cw: Sequence[str]) -> list[int]:
    # crc32 is stable across processes (unlike hash()) and fast; collisions only add candidates.
    return _hashes_of_joined(" ".join(cw).encode(), cw)


def _hashes_of_joined(joined: bytes, cw: Sequence[str]) -> list[int]:
    """:func:`_shingle_hashes` of ``cw`` from ``" ".join(cw).encode()``: each shingle is a slice of it."""
    n = len(cw) - SHINGLE + 1
    if n <= 0:
        return []
    # Byte offset of each word in ``joined``: its UTF-8 length plus the space after it.
    starts = list(accumulate([len(w.encode()) + 1 for w in cw], initial=0))
    view = memoryview(joined)
    crc = zlib.crc32
    return sorted({crc(view[a:b - 1]) for a, b in zip(starts, starts[SHINGLE:], strict=False)})


_UNSET: Any = object()


def keys(text: str, speaker_block: str | None = _UNSET) -> list[str]:
    """Lookup keys of a content: ``f:<fingerprint>`` and ``s:<hash>`` of its bottom-k shingles.

    A short content can only match with the same known speaker, so when ``speaker_block`` is
    given its key includes that block (and there is none for ``None``): common short replies never
    pile onto one key. Called without ``speaker_block``, a short content gets the plain fingerprint
    key (same matches after :func:`same_statement`, only more candidates).
    """
    return keys_of_words(content_words(text), speaker_block)


def keys_of_words(cw: Sequence[str], speaker_block: str | None = _UNSET) -> list[str]:
    if not cw:
        return []
    joined = " ".join(cw).encode()
    fp = "f:" + hashlib.blake2b(joined, digest_size=10).hexdigest()
    if len(cw) < MIN_NEAR_WORDS:
        if speaker_block is _UNSET:
            return [fp]
        return [f"{fp}|{speaker_block}"] if speaker_block else []
    return [fp] + [f"s:{h:x}" for h in _hashes_of_joined(joined, cw)[:BOTTOM_K]]


def similarity(a: str, b: str) -> float:
    """Jaccard of word 3-shingles of two contents (1.0 for identical fingerprints)."""
    ca, cb = content_words(a), content_words(b)
    if ca == cb:
        return 1.0
    sa, sb = shingles(ca), shingles(cb)
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / len(sa | sb)


def same_statement(a: str, b: str, speaker_a: str | None = None, speaker_b: str | None = None) -> bool:
    """Are two reported contents one statement? ``speaker_*`` are speaker block keys or None."""
    return same_words(content_words(a), content_words(b), speaker_a, speaker_b)


def same_words(ca: Sequence[str], cb: Sequence[str], speaker_a: str | None = None,
               speaker_b: str | None = None) -> bool:
    """:func:`same_statement` on precomputed :func:`content_words`."""
    if speaker_a and speaker_b and speaker_a != speaker_b:
        return False
    if not ca or not cb:
        return False
    if list(ca) == list(cb):
        return len(ca) >= MIN_NEAR_WORDS or bool(speaker_a and speaker_a == speaker_b)
    if min(len(ca), len(cb)) < MIN_NEAR_WORDS:
        return False
    sa, sb = shingles(ca), shingles(cb)
    return bool(sa and sb) and len(sa & sb) / len(sa | sb) >= NEAR


def group(records: Sequence[dict]) -> list[int]:
    """Statement group per record (``{"content", "speaker_block"}``): components, numbered by first record.

    The batch runs this (or the same rule as a group-by on ``keys``); the store
    applies it incrementally with the same result.
    """
    parent = list(range(len(records)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    by_key: dict[str, list[int]] = defaultdict(list)
    for i, r in enumerate(records):
        for k in keys(r.get("content") or "", r.get("speaker_block")):
            by_key[k].append(i)
    for idx in by_key.values():
        for x, i in enumerate(idx):
            for j in idx[x + 1:]:
                if find(i) != find(j) and same_statement(
                        records[i].get("content") or "", records[j].get("content") or "",
                        records[i].get("speaker_block"), records[j].get("speaker_block")):
                    parent[max(find(i), find(j))] = min(find(i), find(j))
    return [find(i) for i in range(len(records))]
