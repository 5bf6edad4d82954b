"""The `qawl/1` data model: what the extractor returns for one document.

Offsets are Python ``str`` indices (code points) into ``Document.text``, end
exclusive. ``text`` is never rewritten; every ``text`` field of a part equals
the slice its span names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SCHEMA = "qawl/1"
KINDS = ("direct", "indirect", "mixed", "according")

Span = tuple[int, int]


@dataclass(slots=True)
class Caption:
    """A picture caption, credit, dateline or boilerplate line: never yields attributions."""

    span: Span
    credit: str | None = None
    kind: str = "caption"  # caption | dateline | boilerplate

    # Each model class writes its __init__ out: the compiled core then builds it natively
    # (a generated dataclass __init__ runs interpreted; see docs/architecture.md).
    def __init__(self, span: Span, credit: str | None = None, kind: str = "caption") -> None:
        self.span = span
        self.credit = credit
        self.kind = kind

    def to_dict(self) -> dict[str, Any]:
        return {"span": list(self.span), "credit": self.credit, "kind": self.kind}


@dataclass(slots=True)
class Entity:
    id: str
    name: str
    type: str  # PERSON | ORG | GROUP | SOURCE
    titles: list[str] = field(default_factory=list)
    mentions: list[Span] = field(default_factory=list)

    def __init__(self, id: str, name: str, type: str, titles: list[str] | None = None,
                 mentions: list[Span] | None = None) -> None:
        self.id = id
        self.name = name
        self.type = type
        self.titles = [] if titles is None else titles
        self.mentions = [] if mentions is None else mentions

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "type": self.type,
            "titles": list(self.titles),
            "mentions": [list(m) for m in self.mentions],
        }


@dataclass(slots=True)
class Part:
    """A spanned part of an attribution: content, addressee, channel, source."""

    span: Span
    text: str
    entity: str | None = None

    def __init__(self, span: Span, text: str, entity: str | None = None) -> None:
        self.span = span
        self.text = text
        self.entity = entity

    def to_dict(self, with_entity: bool = False) -> dict[str, Any]:
        d: dict[str, Any] = {"span": list(self.span), "text": self.text}
        if with_entity:
            d["entity"] = self.entity
        return d


@dataclass(slots=True)
class Cue:
    span: Span
    text: str
    lemma: str

    def __init__(self, span: Span, text: str, lemma: str) -> None:
        self.span = span
        self.text = text
        self.lemma = lemma

    def to_dict(self) -> dict[str, Any]:
        return {"span": list(self.span), "text": self.text, "lemma": self.lemma}


@dataclass(slots=True)
class Speaker:
    span: Span | None = None
    text: str | None = None
    entity: str | None = None
    name: str | None = None

    def __init__(self, span: Span | None = None, text: str | None = None, entity: str | None = None,
                 name: str | None = None) -> None:
        self.span = span
        self.text = text
        self.entity = entity
        self.name = name

    def to_dict(self) -> dict[str, Any]:
        return {
            "span": list(self.span) if self.span else None,
            "text": self.text,
            "entity": self.entity,
            "name": self.name,
        }


@dataclass(slots=True)
class TimeRef:
    span: Span
    text: str
    value: str | None = None  # ISO date, month (YYYY-MM) or year (YYYY)

    def __init__(self, span: Span, text: str, value: str | None = None) -> None:
        self.span = span
        self.text = text
        self.value = value

    def to_dict(self) -> dict[str, Any]:
        return {"span": list(self.span), "text": self.text, "value": self.value}


@dataclass(slots=True)
class Attribution:
    id: str
    kind: str
    content: Part
    cue: Cue
    speaker: Speaker
    addressee: Part | None = None
    channel: Part | None = None
    source: Part | None = None
    time: TimeRef | None = None
    confidence: float = 0.0

    def __init__(self, id: str, kind: str, content: Part, cue: Cue, speaker: Speaker,
                 addressee: Part | None = None, channel: Part | None = None, source: Part | None = None,
                 time: TimeRef | None = None, confidence: float = 0.0) -> None:
        self.id = id
        self.kind = kind
        self.content = content
        self.cue = cue
        self.speaker = speaker
        self.addressee = addressee
        self.channel = channel
        self.source = source
        self.time = time
        self.confidence = confidence

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "content": self.content.to_dict(),
            "cue": self.cue.to_dict(),
            "speaker": self.speaker.to_dict(),
            "addressee": self.addressee.to_dict(with_entity=True) if self.addressee else None,
            "channel": self.channel.to_dict() if self.channel else None,
            "source": self.source.to_dict(with_entity=True) if self.source else None,
            "time": self.time.to_dict() if self.time else None,
            "confidence": round(self.confidence, 3),
        }


@dataclass(slots=True)
class Document:
    text: str
    id: str | None = None
    lang: str | None = "ar"
    published: str | None = None
    captions: list[Caption] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    attributions: list[Attribution] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)  # title, url, outlet … passed through

    def __init__(self, text: str, id: str | None = None, lang: str | None = "ar", published: str | None = None,
                 captions: list[Caption] | None = None, entities: list[Entity] | None = None,
                 attributions: list[Attribution] | None = None, meta: dict[str, Any] | None = None) -> None:
        self.text = text
        self.id = id
        self.lang = lang
        self.published = published
        self.captions = [] if captions is None else captions
        self.entities = [] if entities is None else entities
        self.attributions = [] if attributions is None else attributions
        self.meta = {} if meta is None else meta

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "schema": SCHEMA,
            "id": self.id,
            "lang": self.lang,
            "published": self.published,
        }
        d.update(self.meta)
        d["text"] = self.text
        d["captions"] = [c.to_dict() for c in self.captions]
        d["entities"] = [e.to_dict() for e in self.entities]
        d["attributions"] = [a.to_dict() for a in self.attributions]
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Document:
        """Rebuild a Document from its `qawl/1` dict (inverse of ``to_dict``)."""
        text = d["text"]

        def span(x: Any) -> Span:
            return (int(x[0]), int(x[1]))

        def part(x: dict[str, Any] | None) -> Part | None:
            if not x:
                return None
            return Part(span(x["span"]), x.get("text", ""), x.get("entity"))

        atts = []
        for a in d.get("attributions", []):
            sp = a.get("speaker") or {}
            t = a.get("time")
            atts.append(
                Attribution(
                    id=a.get("id", ""),
                    kind=a["kind"],
                    content=part(a["content"]),  # type: ignore[arg-type]
                    cue=Cue(span(a["cue"]["span"]), a["cue"].get("text", ""), a["cue"].get("lemma", "")),
                    speaker=Speaker(
                        span(sp["span"]) if sp.get("span") else None,
                        sp.get("text"),
                        sp.get("entity"),
                        sp.get("name"),
                    ),
                    addressee=part(a.get("addressee")),
                    channel=part(a.get("channel")),
                    source=part(a.get("source")),
                    time=TimeRef(span(t["span"]), t.get("text", ""), t.get("value")) if t else None,
                    confidence=float(a.get("confidence", 0.0)),
                )
            )
        known = {"schema", "id", "lang", "published", "text", "captions", "entities", "attributions"}
        return cls(
            text=text,
            id=d.get("id"),
            lang=d.get("lang"),
            published=d.get("published"),
            captions=[
                Caption(span(c["span"]), c.get("credit"), c.get("kind", "caption")) for c in d.get("captions", [])
            ],
            entities=[
                Entity(e["id"], e["name"], e.get("type", "PERSON"), list(e.get("titles", [])),
                       [span(m) for m in e.get("mentions", [])])
                for e in d.get("entities", [])
            ],
            attributions=atts,
            meta={k: v for k, v in d.items() if k not in known},
        )
