"""Hostile article text shared by the security tests (real Arabic sentences around the attacks)."""

from __future__ import annotations

SCRIPT = "<script>window.__pwned = 'script';</script>"
IMG = "<img src=x onerror=\"window.__pwned='img'\">"
ATTR = "\" onmouseover=\"window.__pwned='attr'\" x=\""
RLO = "\u202eكلام معكوس\u202c"
ISOLATE = "\u2067عزل\u2069"


def hostile_text() -> str:
    return (
        "الرياض - قال وزير الخارجية فيصل بن فرحان إن " + SCRIPT + " المملكة ترحب بالحوار.\n"
        "وأضاف الوزير: «" + IMG + " نحن ندعم الاستقرار في المنطقة» " + ATTR + "\n"
        "وذكرت مصادر أن " + RLO + " المفاوضات مستمرة " + ISOLATE + ".\n"
    )


def hostile_extraction(doc_id: str = "hostile-1") -> dict:
    """A hand-built `qawl/1` document whose spans cover every attack (so highlights slice them)."""
    text = hostile_text()

    def span(s: str, start: int = 0) -> list[int]:
        i = text.index(s, start)
        return [i, i + len(s)]

    c1 = span("إن " + SCRIPT + " المملكة ترحب بالحوار")
    c1 = [c1[0] + 3, c1[1]]
    c2s = text.index("«") + 1
    c2 = [c2s, text.index("»")]
    c3 = span(RLO + " المفاوضات مستمرة")
    return {
        "schema": "qawl/1", "id": doc_id, "lang": "ar", "published": "2015-08-05",
        "title": "عنوان " + SCRIPT, "url": "javascript:alert(1)", "outlet": "Okaz" + IMG,
        "text": text,
        "captions": [],
        "entities": [{"id": "E1", "name": "فيصل بن فرحان " + IMG, "type": "PERSON", "titles": ["وزير الخارجية"],
                      "mentions": [span("فيصل بن فرحان")]}],
        "attributions": [
            {"id": "A1", "kind": "indirect", "content": {"span": c1, "text": text[c1[0]:c1[1]]},
             "cue": {"span": span("قال"), "text": "قال", "lemma": "قال"},
             "speaker": {"span": span("فيصل بن فرحان"), "text": "فيصل بن فرحان", "entity": "E1",
                         "name": "فيصل بن فرحان " + IMG},
             "addressee": None, "channel": None, "source": None, "time": None, "confidence": 0.9},
            {"id": "A2", "kind": "direct", "content": {"span": c2, "text": text[c2[0]:c2[1]]},
             "cue": {"span": span("وأضاف"), "text": "وأضاف", "lemma": "أضاف"},
             "speaker": {"span": None, "text": None, "entity": "E1", "name": "فيصل بن فرحان " + IMG},
             "addressee": None, "channel": None, "source": None, "time": None, "confidence": 0.8},
            {"id": "A3", "kind": "according", "content": {"span": c3, "text": text[c3[0]:c3[1]]},
             "cue": {"span": span("وذكرت"), "text": "وذكرت", "lemma": "ذكر"},
             "speaker": {"span": span("مصادر"), "text": "مصادر", "entity": None, "name": "مصادر " + ATTR},
             "addressee": None, "channel": None, "source": None, "time": None, "confidence": 0.5},
        ],
    }
