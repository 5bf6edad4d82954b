"""Hand-annotated `qawl/1` documents on real articles, so page tests do not depend on the extractor.

Two SaudiNewsNet articles from the bundled demo set (Sabq, 2015), annotated by hand by locating
the quoted strings, plus one short report written for these tests that carries a quotation of the
first article (so one statement has two reports).
"""

from __future__ import annotations

from qawl.web.cli import sample_articles


class _Doc:
    def __init__(self, text: str) -> None:
        self.text = text
        self.entities: list[dict] = []
        self.atts: list[dict] = []
        self.captions: list[dict] = []

    def at(self, s: str, nth: int = 1, after: int = 0) -> list[int]:
        i = after - 1
        for _ in range(nth):
            i = self.text.index(s, i + 1)
        return [i, i + len(s)]

    def part(self, s: str | None, nth: int = 1, after: int = 0, entity: str | None = None,
             with_entity: bool = False) -> dict | None:
        if s is None:
            return None
        d: dict = {"span": self.at(s, nth, after), "text": s}
        if with_entity:
            d["entity"] = entity
        return d

    def entity(self, eid: str, name: str, typ: str, titles: list[str], mentions: list[str]) -> None:
        spans = []
        for m in mentions:
            start = 0
            while True:
                i = self.text.find(m, start)
                if i < 0:
                    break
                spans.append([i, i + len(m)])
                start = i + len(m)
        self.entities.append({"id": eid, "name": name, "type": typ, "titles": titles, "mentions": sorted(spans)})

    def add(self, kind: str, cue: str, content: str, *, cue_nth: int = 1, speaker: str | None = None,
            speaker_nth: int = 1, name: str | None = None, entity: str | None = None,
            addressee: tuple[str, str | None] | None = None, channel: str | None = None,
            source: tuple[str, str | None] | None = None, time: tuple[str, str] | None = None) -> None:
        cue_span = self.at(cue, cue_nth)
        self.atts.append({
            "id": f"A{len(self.atts) + 1}", "kind": kind,
            "content": {"span": self.at(content, 1, cue_span[0]), "text": content},
            "cue": {"span": cue_span, "text": cue, "lemma": cue},
            "speaker": {"span": self.at(speaker, speaker_nth) if speaker else None, "text": speaker,
                        "entity": entity, "name": name},
            "addressee": (self.part(addressee[0], after=cue_span[0], entity=addressee[1], with_entity=True)
                          if addressee else None),
            "channel": self.part(channel),
            "source": self.part(source[0], entity=source[1], with_entity=True) if source else None,
            "time": ({"span": self.at(time[0]), "text": time[0], "value": time[1]} if time else None),
            "confidence": 0.9,
        })

    def qawl(self, meta: dict) -> dict:
        return {"schema": "qawl/1", "id": meta["id"], "lang": "ar", "published": meta.get("published"),
                "text": self.text, "captions": self.captions, "entities": self.entities, "attributions": self.atts}


KHALFAN = "ضاحي خلفان"
KHALFAN_QUOTE = "القادم سيقضي على سمعة نصر الله"
SABAH = "محمد المبارك الصباح"


def annotated() -> list[tuple[dict, dict]]:
    """(meta, qawl/1) pairs for Store.add_extracted."""
    samples = {d["id"]: d for d in sample_articles()}
    out = []

    a = samples["saudinewsnet-23425"]
    d = _Doc(a["text"])
    d.captions.append({"span": d.at("سبق- وكالات:"), "credit": None, "kind": "dateline"})
    d.entity("E1", KHALFAN, "PERSON", ["نائب رئيس شرطة دبي", "الفريق"], ["ضاحي خلفان", "خلفان\""])
    d.entity("E2", "حسن نصر الله", "PERSON", ["الأمين العام لـ\"حزب الله\" اللبناني"], ["حسن نصر الله"])
    d.entity("E3", "يمن برس", "SOURCE", [], ["يمن برس"])
    d.add("mixed", "واصفاً", "إياه بأنه لا علم له بالسياسة أكثر من \"صاحب بقالة\"", speaker="ضاحي خلفان",
          name=KHALFAN, entity="E1")
    d.add("direct", "قائلاً", KHALFAN_QUOTE, speaker="خلفان", speaker_nth=2, name=KHALFAN, entity="E1",
          channel="مجموعة من التغريدات", source=("يمن برس", "E3"))
    d.add("mixed", "وأضاف", "أن \"نصر الله كان وعد مقاتليه سابقاً بقتال إسرائيل، وعندما انحرف عن طريقه مني بالهزائم\"",
          name=KHALFAN, entity="E1")
    d.add("indirect", "موضحاً", "أن جميع مقاتلي الحزب يعرفون أن الدخول في الأزمة السورية كان قراراً خاطئاً",
          name=KHALFAN, entity="E1")
    d.add("direct", "قائلاً", "نصر الله كان سبباً في خراب سوريا ولا يزال.. ماذا جنيت يا حسن غير الكراهية؟",
          cue_nth=2, speaker="خلفان", speaker_nth=3, name=KHALFAN, entity="E1", addressee=("حسن", "E2"))
    out.append(({k: a[k] for k in ("id", "title", "url", "outlet", "published", "lang")}, d.qawl(a)))

    b = samples["saudinewsnet-20264"]
    d = _Doc(b["text"])
    d.entity("E1", SABAH, "PERSON", ["وزير الدولة الكويتي لشؤون مجلس الوزراء", "الشيخ"],
             ["محمد المبارك الصباح", "الصباح\""])
    d.entity("E2", "الكويت", "ORG", [], ["الكويت"])
    d.add("indirect", "أكدت", "أن خلافاتها مع السعودية", speaker="الكويت", name="الكويت", entity="E2")
    d.add("direct", "وقال", "الخلافات الموجودة هي خلافات أسرة واحدة، وهي خلافات فنية لا سياسية",
          speaker="الشيخ محمد المبارك الصباح", name=SABAH, entity="E1",
          channel="تصريحات لصحيفة \"الحياة\"", time=("أمس", "2015-08-03"))
    d.add("direct", "وأضاف", "موقف المسؤولين السعوديين في الاجتماعات التي تعقد في هذا الشأن لا تزال صلبة وشرسة",
          name=SABAH, entity="E1")
    d.add("mixed", "ونفى", "أن يكون في الخطاب الذي وجهه الوزير الكويتي لنظيره السعودي أي \"لغة استقواء\"",
          speaker="الصباح", speaker_nth=2, name=SABAH, entity="E1")
    out.append(({k: b[k] for k in ("id", "title", "url", "outlet", "published", "lang")}, d.qawl(b)))

    text = ("نقلت مواقع إخبارية عن الفريق ضاحي خلفان قوله في تغريدة: \"" + KHALFAN_QUOTE + "\". "
            "وكان خلفان قد هاجم حزب الله مرارا خلال الأسابيع الماضية.")
    d = _Doc(text)
    d.entity("E1", KHALFAN, "PERSON", ["الفريق"], ["ضاحي خلفان"])
    d.add("direct", "قوله", KHALFAN_QUOTE, speaker="ضاحي خلفان", name=KHALFAN, entity="E1", channel="تغريدة")
    meta = {"id": "web-test-copy-1", "title": "خلفان يهاجم نصر الله مجددا", "url": "https://example.org/copy-1",
            "outlet": "Okaz", "published": "2015-08-09", "lang": "ar"}
    out.append((meta, d.qawl(meta)))
    return out
