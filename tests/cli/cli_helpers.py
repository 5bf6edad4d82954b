"""Helpers (not a conftest: module names must not clash across areas) for the CLI-area tests: real corpus lines and hand-built gold/predictions."""

from __future__ import annotations

import gzip
import itertools
import json
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "bench.jsonl.gz"
if not CORPUS.exists():  # CI lays shared/ beside the clone
    CORPUS = Path("/work/shared/corpus/bench.jsonl.gz")
GOLD_DEV = CORPUS.parent.parent / "gold" / "dev.jsonl"

# A hand-written article: Trump quoted directly, then reported with a dropped subject,
# then the health ministry as an according-source.
TEXT = (
    "وقال الرئيس الأمريكي دونالد ترامب للصحفيين إن \"المحادثات تسير بشكل جيد جداً\".\n"
    "وأضاف أنه سيلتقي الرئيس الروسي في موسكو الأسبوع المقبل لبحث وقف إطلاق النار.\n"
    "وبحسب وزارة الصحة، ارتفع عدد الضحايا إلى عشرين شخصاً منذ صباح الأربعاء.\n"
)


def span_of(text: str, needle: str, start: int = 0) -> list[int]:
    i = text.index(needle, start)
    return [i, i + len(needle)]


def att(text: str, kind: str, content: str, cue: str, speaker_name: str | None, *, speaker_text: str | None = None,
        keys: list[str] | None = None, content_span: list[int] | None = None) -> dict:
    """One attribution dict usable both as gold (with keys) and as a qawl/1 prediction."""
    cs = content_span or span_of(text, content)
    sp = {"span": span_of(text, speaker_text) if speaker_text else None, "text": speaker_text,
          "name": speaker_name}
    if keys is not None:
        sp["keys"] = keys
    return {"kind": kind, "content": {"span": cs, "text": text[cs[0]:cs[1]]},
            "cue": {"span": span_of(text, cue), "text": cue}, "speaker": sp}


def gold_atts(text: str = TEXT) -> list[dict]:
    return [
        att(text, "direct", "المحادثات تسير بشكل جيد جداً", "وقال", "دونالد ترامب",
            speaker_text="الرئيس الأمريكي دونالد ترامب", keys=["ترامب", "الرئيس الأمريكي"]),
        att(text, "indirect", "أنه سيلتقي الرئيس الروسي في موسكو الأسبوع المقبل لبحث وقف إطلاق النار",
            "وأضاف", "دونالد ترامب", keys=["ترامب", "الرئيس الأمريكي"]),
        att(text, "according", "ارتفع عدد الضحايا إلى عشرين شخصاً منذ صباح الأربعاء", "وبحسب", "وزارة الصحة",
            speaker_text="وزارة الصحة", keys=["وزارة الصحة"]),
    ]


def gold_doc(doc_id: str = "g1", text: str = TEXT, atts: list[dict] | None = None) -> dict:
    return {"id": doc_id, "lang": "ar", "published": "2025-11-27", "text": text, "captions": [],
            "attributions": gold_atts(text) if atts is None else atts}


def pred_doc(doc_id: str, text: str, atts: list[dict]) -> dict:
    out = []
    for i, a in enumerate(atts, 1):
        a = json.loads(json.dumps(a))
        a["speaker"].pop("keys", None)
        a["id"] = f"A{i}"
        out.append(a)
    return {"schema": "qawl/1", "id": doc_id, "lang": "ar", "published": None, "text": text, "captions": [],
            "entities": [], "attributions": out}


def corpus_lines(n: int, step: int = 97) -> list[bytes]:
    """``n`` raw JSONL lines of the real corpus, spread over it."""
    with gzip.open(CORPUS, "rb") as f:
        return [line for line in itertools.islice(f, 0, n * step, step)]
