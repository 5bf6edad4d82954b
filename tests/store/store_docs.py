"""Hand-built qawl/1 documents with known attributions (store tests must not depend on the extractor)."""

from __future__ import annotations

from typing import Any

from qawl.model import Attribution, Cue, Document, Entity, Part, Speaker


def make_doc(doc_id: str, sentences: list[tuple[str, str, str, str | None]], *, outlet: str = "BBC Arabic",
             published: str = "2025-11-27", title: str | None = None, url: str | None = None,
             kind: str = "direct", titles: dict[str, list[str]] | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
    """Build (meta, qawl/1 dict) from (speaker name as written, cue, quoted content, addressee or None) tuples.

    Each sentence is written as «<cue> <speaker> [لـ<addressee>]: "<content>".» so every span is real.
    """
    text = ""
    ents: dict[str, Entity] = {}
    atts = []
    for i, (speaker, cue, content, addressee) in enumerate(sentences, 1):
        start = len(text)
        text += f"{cue} {speaker}"
        cue_span = (start, start + len(cue))
        sp_span = (start + len(cue) + 1, start + len(cue) + 1 + len(speaker))
        ad_part = None
        if addressee:
            text += " ل"
            a_s = len(text)
            text += addressee
            if addressee not in ents:
                ents[addressee] = Entity(f"E{len(ents) + 1}", addressee, "PERSON")
            ents[addressee].mentions.append((a_s, len(text)))
            ad_part = Part((a_s, len(text)), addressee, ents[addressee].id)
        text += ': "'
        c_s = len(text)
        text += content
        c_e = len(text)
        text += '".\n'
        if speaker not in ents:
            ents[speaker] = Entity(f"E{len(ents) + 1}", speaker, "PERSON", list((titles or {}).get(speaker, [])))
        ents[speaker].mentions.append(sp_span)
        atts.append(Attribution(
            id=f"A{i}", kind=kind, content=Part((c_s, c_e), content), cue=Cue(cue_span, cue, cue),
            speaker=Speaker(sp_span, speaker, ents[speaker].id, speaker), addressee=ad_part, confidence=0.9))
    meta = {"id": doc_id, "title": title or f"خبر {doc_id}", "url": url or f"https://example.org/{doc_id}",
            "outlet": outlet, "published": published, "lang": "ar"}
    d = Document(text=text, id=doc_id, lang="ar", published=published, entities=list(ents.values()),
                 attributions=atts, meta={k: meta[k] for k in ("title", "url", "outlet")})
    q = d.to_dict()
    for a in q["attributions"]:  # every span names its text (what a correct extractor guarantees)
        assert q["text"][slice(*a["content"]["span"])] == a["content"]["text"]
    return meta, q
