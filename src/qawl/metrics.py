"""Scoring predicted attributions against gold, as /work/shared/spec/gold-format.md defines it.

Pure functions over plain dicts: gold documents (the gold JSONL format) and
predicted documents (``qawl/1`` dicts, e.g. ``Document.to_dict()``).

- A predicted attribution matches a gold one when their content spans overlap
  with character Jaccard >= 0.5, after whitespace and punctuation are trimmed
  from the span edges. Matching is one-to-one, greedy by overlap (highest
  Jaccard first).
- Speaker: correct when all the words of one gold ``key`` are words of the
  predicted ``speaker.name`` (or, failing that, of ``speaker.text``), both
  through :func:`qawl.normalize.name_words`.
- Who-said-what: a true positive needs the content match and a correct speaker.
- Cue: any overlap of cue spans, on matched pairs ("pairs") and as an
  independent one-to-one matching of all cues ("overall").
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from qawl.model import KINDS
from qawl.normalize import name_words

MATCH_THRESHOLD = 0.5
EXCERPT_CHARS = 80

Span = tuple[int, int]


# ---------------------------------------------------------------------------
# spans


def _is_edge_junk(ch: str) -> bool:
    # Whitespace, any Unicode punctuation (« » “ ” ، ؛ ؟ . …), and tatweel/format marks.
    return ch.isspace() or unicodedata.category(ch)[0] == "P" or unicodedata.category(ch) == "Cf"


def trim_span(text: str, span: Sequence[int]) -> Span:
    """Shrink ``span`` past whitespace and punctuation at both edges (may become empty)."""
    s, e = max(0, int(span[0])), min(len(text), int(span[1]))
    while s < e and _is_edge_junk(text[s]):
        s += 1
    while e > s and _is_edge_junk(text[e - 1]):
        e -= 1
    return s, e


def jaccard(a: Span, b: Span) -> float:
    """Character Jaccard of two half-open spans; 0.0 when either is empty."""
    if a[1] <= a[0] or b[1] <= b[0]:
        return 0.0
    inter = min(a[1], b[1]) - max(a[0], b[0])
    if inter <= 0:
        return 0.0
    union = (a[1] - a[0]) + (b[1] - b[0]) - inter
    return inter / union


def overlaps(a: Sequence[int] | None, b: Sequence[int] | None) -> bool:
    """Any character in common between two half-open spans."""
    if not a or not b:
        return False
    return min(a[1], b[1]) > max(a[0], b[0])


def greedy_match(scores: Iterable[tuple[float, int, int]]) -> list[tuple[int, int, float]]:
    """One-to-one matching from ``(score, gold_index, pred_index)`` candidates, best score first.

    Ties go to the earlier gold then the earlier prediction, so results are deterministic.
    """
    used_g: set[int] = set()
    used_p: set[int] = set()
    out: list[tuple[int, int, float]] = []
    for score, gi, pi in sorted(scores, key=lambda t: (-t[0], t[1], t[2])):
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        out.append((gi, pi, score))
    out.sort()
    return out


# ---------------------------------------------------------------------------
# speakers


def _key_sets(gold_speaker: Mapping[str, Any] | None) -> list[set[str]]:
    if not gold_speaker:
        return []
    keys = [k for k in (gold_speaker.get("keys") or []) if k]
    if not keys and gold_speaker.get("name"):
        keys = [gold_speaker["name"]]  # no keys given: the whole resolved name must be there
    sets = [set(name_words(k)) for k in keys]
    return [s for s in sets if s]


def speaker_correct(gold_speaker: Mapping[str, Any] | None, pred_speaker: Mapping[str, Any] | None) -> bool:
    """Does the predicted speaker satisfy one of the gold keys?

    A gold speaker with no name and no keys (no source in the text) is matched only
    by a predicted speaker that is empty too.
    """
    key_sets = _key_sets(gold_speaker)
    pred_speaker = pred_speaker or {}
    if not key_sets:
        return not (pred_speaker.get("name") or pred_speaker.get("text"))
    for field_name in ("name",):  # the spec scores the resolved name only
        value = pred_speaker.get(field_name)
        if not value:
            continue
        words = set(name_words(value))
        if any(ks <= words for ks in key_sets):
            return True
    return False


def speaker_label(speaker: Mapping[str, Any] | None) -> str:
    """A short human label for a speaker dict (gold or predicted)."""
    if not speaker:
        return "∅"
    name = speaker.get("name") or ""
    text = speaker.get("text") or ""
    if name and text and name_words(text) != name_words(name):
        return f"{name} ({text})"
    return name or text or "∅"


# ---------------------------------------------------------------------------
# reports


@dataclass(slots=True)
class PRF:
    tp: int = 0
    n_pred: int = 0
    n_gold: int = 0

    @property
    def precision(self) -> float:
        return self.tp / self.n_pred if self.n_pred else 0.0

    @property
    def recall(self) -> float:
        return self.tp / self.n_gold if self.n_gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: PRF) -> None:
        self.tp += other.tp
        self.n_pred += other.n_pred
        self.n_gold += other.n_gold

    def to_dict(self) -> dict[str, Any]:
        return {"tp": self.tp, "n_pred": self.n_pred, "n_gold": self.n_gold,
                "precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


@dataclass(slots=True)
class Ratio:
    hit: int = 0
    total: int = 0

    @property
    def value(self) -> float:
        return self.hit / self.total if self.total else 0.0

    def add(self, other: Ratio) -> None:
        self.hit += other.hit
        self.total += other.total

    def to_dict(self) -> dict[str, Any]:
        return {"hit": self.hit, "total": self.total, "value": round(self.value, 4)}


@dataclass(slots=True)
class Item:
    """One attribution shown in a by-document listing."""

    span: list[int]
    excerpt: str
    kind: str | None
    speaker: str
    cue: str | None = None


@dataclass(slots=True)
class WrongSpeaker:
    gold: Item
    pred: Item
    jaccard: float


@dataclass(slots=True)
class DocReport:
    id: str
    n_gold: int
    n_pred: int
    matched: int
    speaker_correct: int
    missed: list[Item] = field(default_factory=list)
    wrong_speaker: list[WrongSpeaker] = field(default_factory=list)
    extras: list[Item] = field(default_factory=list)
    wrong_kind: list[WrongSpeaker] = field(default_factory=list)
    text_mismatch: bool = False


@dataclass(slots=True)
class Report:
    docs: int = 0
    content: PRF = field(default_factory=PRF)
    speaker: Ratio = field(default_factory=Ratio)  # over matched pairs
    who_said_what: PRF = field(default_factory=PRF)
    cue_pairs: PRF = field(default_factory=PRF)  # tp = matched pairs whose cues overlap
    cue_pairs_accuracy: Ratio = field(default_factory=Ratio)
    cue_overall: PRF = field(default_factory=PRF)  # cues matched on their own, any overlap
    recall_by_kind: dict[str, Ratio] = field(default_factory=lambda: {k: Ratio() for k in KINDS})
    precision_by_kind: dict[str, Ratio] = field(default_factory=lambda: {k: Ratio() for k in KINDS})
    kind_accuracy: Ratio = field(default_factory=Ratio)  # over matched pairs
    kind_confusion: dict[str, dict[str, int]] = field(default_factory=dict)  # gold kind -> pred kind -> n
    missing_predictions: list[str] = field(default_factory=list)  # gold ids with no predicted document
    text_mismatches: list[str] = field(default_factory=list)
    by_doc: list[DocReport] = field(default_factory=list)

    def summary_lines(self) -> list[str]:
        """Exactly four lines: the compact summary printed last by ``qawl eval``."""
        c, w = self.content, self.who_said_what
        return [
            f"content P={c.precision:.3f} R={c.recall:.3f} F1={c.f1:.3f}",
            f"speaker accuracy={self.speaker.value:.3f} ({self.speaker.hit}/{self.speaker.total} matched)",
            f"who-said-what P={w.precision:.3f} R={w.recall:.3f} F1={w.f1:.3f}",
            f"cue F1={self.cue_pairs.f1:.3f} (cues alone F1={self.cue_overall.f1:.3f})",
        ]

    def to_dict(self, *, by_doc: bool = True) -> dict[str, Any]:
        d: dict[str, Any] = {
            "docs": self.docs,
            "content": self.content.to_dict(),
            "speaker_accuracy": self.speaker.to_dict(),
            "who_said_what": self.who_said_what.to_dict(),
            "cue": {
                "pairs": self.cue_pairs.to_dict(),
                "pairs_accuracy": self.cue_pairs_accuracy.to_dict(),
                "overall": self.cue_overall.to_dict(),
            },
            "recall_by_kind": {k: v.to_dict() for k, v in self.recall_by_kind.items()},
            "precision_by_kind": {k: v.to_dict() for k, v in self.precision_by_kind.items()},
            "kind_accuracy": self.kind_accuracy.to_dict(),
            "kind_confusion": self.kind_confusion,
            "missing_predictions": list(self.missing_predictions),
            "text_mismatches": list(self.text_mismatches),
        }
        if by_doc:
            d["by_doc"] = [asdict(r) for r in self.by_doc]
        return d


# ---------------------------------------------------------------------------
# scoring


def _span(part: Mapping[str, Any] | None) -> Span | None:
    if not part:
        return None
    sp = part.get("span") if isinstance(part, Mapping) else None
    try:
        s, e = int(sp[0]), int(sp[1])  # type: ignore[index]
    except (TypeError, ValueError, IndexError, KeyError):
        return None  # malformed or missing span: the part is ignored rather than crashing the report
    if sp is None or len(sp) != 2:
        return None
    return s, e


def _excerpt(text: str, span: Span | None, limit: int = EXCERPT_CHARS) -> str:
    if span is None:
        return ""
    s = " ".join(text[span[0]:span[1]].split())
    return s if len(s) <= limit else s[: limit - 1] + "…"


def _item(text: str, att: Mapping[str, Any]) -> Item:
    sp = _span(att.get("content")) or (0, 0)
    cue = att.get("cue") or {}
    return Item(list(sp), _excerpt(text, sp), att.get("kind"), speaker_label(att.get("speaker")), cue.get("text"))


def score_document(gold: Mapping[str, Any], pred: Mapping[str, Any] | None) -> tuple[Report, DocReport]:
    """Score one document; returns its own Report (for summing) and its DocReport."""
    rep = Report(docs=1)
    gtext: str = gold.get("text") or ""
    ptext: str = (pred or {}).get("text") or gtext
    g_atts = [a for a in gold.get("attributions") or [] if _span(a.get("content"))]
    p_atts = [a for a in (pred or {}).get("attributions") or [] if _span(a.get("content"))]

    g_spans = [trim_span(gtext, _span(a["content"])) for a in g_atts]  # type: ignore[arg-type]
    p_spans = [trim_span(ptext, _span(a["content"])) for a in p_atts]  # type: ignore[arg-type]
    candidates = []
    for gi, gs in enumerate(g_spans):
        for pi, ps in enumerate(p_spans):
            j = jaccard(gs, ps)
            if j >= MATCH_THRESHOLD:
                candidates.append((j, gi, pi))
    pairs = greedy_match(candidates)

    doc = DocReport(id=str(gold.get("id")), n_gold=len(g_atts), n_pred=len(p_atts), matched=len(pairs),
                    speaker_correct=0, text_mismatch=pred is not None and pred.get("text") not in (None, gtext))

    rep.content = PRF(len(pairs), len(p_atts), len(g_atts))
    wsw = PRF(0, len(p_atts), len(g_atts))
    cue_pairs = PRF(0, len(p_atts), len(g_atts))
    for a in g_atts:
        k = a.get("kind")
        if k in rep.recall_by_kind:
            rep.recall_by_kind[k].total += 1
    for a in p_atts:
        k = a.get("kind")
        if k in rep.precision_by_kind:
            rep.precision_by_kind[k].total += 1

    matched_g = set()
    matched_p = set()
    for gi, pi, j in pairs:
        matched_g.add(gi)
        matched_p.add(pi)
        ga, pa = g_atts[gi], p_atts[pi]
        ok = speaker_correct(ga.get("speaker"), pa.get("speaker"))
        rep.speaker.total += 1
        if ok:
            rep.speaker.hit += 1
            wsw.tp += 1
            doc.speaker_correct += 1
        else:
            doc.wrong_speaker.append(WrongSpeaker(_item(gtext, ga), _item(ptext, pa), round(j, 3)))
        cue_hit = overlaps(_span(ga.get("cue")), _span(pa.get("cue")))
        rep.cue_pairs_accuracy.total += 1
        if cue_hit:
            rep.cue_pairs_accuracy.hit += 1
            cue_pairs.tp += 1
        gk, pk = ga.get("kind"), pa.get("kind")
        if gk in rep.recall_by_kind:
            rep.recall_by_kind[gk].hit += 1
        if pk in rep.precision_by_kind:
            rep.precision_by_kind[pk].hit += 1
        rep.kind_accuracy.total += 1
        if gk == pk:
            rep.kind_accuracy.hit += 1
        else:
            doc.wrong_kind.append(WrongSpeaker(_item(gtext, ga), _item(ptext, pa), round(j, 3)))
        row = rep.kind_confusion.setdefault(str(gk), {})
        row[str(pk)] = row.get(str(pk), 0) + 1
    rep.who_said_what = wsw
    rep.cue_pairs = cue_pairs

    # Cues on their own: every gold cue against every predicted cue, one-to-one by overlap size.
    g_cues = [_span(a.get("cue")) for a in gold.get("attributions") or []]
    p_cues = [_span(a.get("cue")) for a in (pred or {}).get("attributions") or []]
    cue_cands = []
    for gi, gc in enumerate(g_cues):
        for pi, pc in enumerate(p_cues):
            if gc and pc and overlaps(gc, pc):
                cue_cands.append((jaccard(gc, pc) or 1e-9, gi, pi))
    rep.cue_overall = PRF(len(greedy_match(cue_cands)), sum(1 for c in p_cues if c), sum(1 for c in g_cues if c))

    doc.missed = [_item(gtext, a) for i, a in enumerate(g_atts) if i not in matched_g]
    doc.extras = [_item(ptext, a) for i, a in enumerate(p_atts) if i not in matched_p]
    if pred is None:
        rep.missing_predictions.append(doc.id)
    if doc.text_mismatch:
        rep.text_mismatches.append(doc.id)
    rep.by_doc.append(doc)
    return rep, doc


def merge(total: Report, part: Report) -> None:
    """Add ``part`` (usually one document's report) into ``total``."""
    total.docs += part.docs
    total.content.add(part.content)
    total.speaker.add(part.speaker)
    total.who_said_what.add(part.who_said_what)
    total.cue_pairs.add(part.cue_pairs)
    total.cue_pairs_accuracy.add(part.cue_pairs_accuracy)
    total.cue_overall.add(part.cue_overall)
    for k, v in part.recall_by_kind.items():
        total.recall_by_kind.setdefault(k, Ratio()).add(v)
    for k, v in part.precision_by_kind.items():
        total.precision_by_kind.setdefault(k, Ratio()).add(v)
    total.kind_accuracy.add(part.kind_accuracy)
    for gk, row in part.kind_confusion.items():
        trow = total.kind_confusion.setdefault(gk, {})
        for pk, n in row.items():
            trow[pk] = trow.get(pk, 0) + n
    total.missing_predictions.extend(part.missing_predictions)
    total.text_mismatches.extend(part.text_mismatches)
    total.by_doc.extend(part.by_doc)


def evaluate(gold_docs: Iterable[Mapping[str, Any]], predicted: Mapping[str, Mapping[str, Any]]
             | Iterable[Mapping[str, Any]]) -> Report:
    """Score a corpus.

    ``predicted`` is either a mapping id -> qawl/1 dict or an iterable of qawl/1 dicts
    (keyed by their ``id``). A gold document with no prediction counts as predicting nothing.
    """
    if not isinstance(predicted, Mapping):
        predicted = {str(p.get("id")): p for p in predicted}
    total = Report()
    for g in gold_docs:
        part, _ = score_document(g, predicted.get(str(g.get("id"))))
        merge(total, part)
    return total
