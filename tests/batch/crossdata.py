"""Hand-written Arabic reports for the cross-article tests: the same people named several ways,
the same quotation carried by several outlets (exactly and near-exactly), and look-alikes that
must stay apart. Builds real `qawl/1` dicts (spans computed from the text)."""

from __future__ import annotations

Q_TALKS = "المحادثات مع الجانب الإيراني كانت مثمرة جدا وستستمر في جنيف الأسبوع المقبل بمشاركة أوروبية"
Q_TALKS_NEAR = "المحادثات مع الجانب الإيراني كانت مثمرة جدا وستستمر في جنيف الأسبوع المقبل بمشاركة أوروبية واسعة"
Q_PLAN = "الخطة الأمريكية لإنهاء الحرب في أوكرانيا تتضمن ثمانية وعشرين بندا قابلة للتفاوض مع الطرفين"
Q_ARMS = "أوكرانيا تحتاج إلى مزيد من أنظمة الدفاع الجوي قبل حلول فصل الشتاء لحماية محطات الطاقة"
Q_OIL = "أسعار النفط ارتفعت بنسبة ثلاثة في المئة بعد قرار تحالف أوبك بلس خفض الإنتاج مجددا"
Q_NONE = "لا تعليق"

# (article id, outlet, date, [(speaker surface, resolved name, type, titles, cue, content), ...])
ARTICLES = [
    ("x-bbc-1", "BBC Arabic", "2025-11-20", [
        ("الرئيس الأمريكي دونالد ترامب", "دونالد ترامب", "PERSON", ["الرئيس الأمريكي"], "قال", Q_TALKS),
        ("ميلانيا ترامب", "ميلانيا ترامب", "PERSON", [], "قالت", Q_NONE),
    ]),
    ("x-sky-1", "Sky News Arabia", "2025-11-21", [
        ("ترامب", "ترامب", "PERSON", [], "وأضاف", Q_TALKS_NEAR),
        ("المبعوث الأمريكي ستيف ويتكوف", "ستيف ويتكوف", "PERSON", ["المبعوث الأمريكي"], "أكد", Q_PLAN),
    ]),
    ("x-cnn-1", "CNN Arabic", "2025-11-22", [
        ("ويتكوف", "ويتكوف", "PERSON", [], "قال", Q_PLAN),
        ("زيلينسكي", "فولوديمير زيلينسكي", "PERSON", ["الرئيس الأوكراني"], "قال", Q_ARMS),
    ]),
    ("x-arabiya-1", "Al Arabiya", "2025-11-19", [
        ("زيلنسكي", "فولوديمير زيلنسكي", "PERSON", [], "أعلن", Q_ARMS),
        ("دونالد ترامب", "دونالد ترامب", "PERSON", [], "قال", Q_NONE),
    ]),
    ("x-f24-1", "France 24 Arabic", None, [
        ("بلومبرغ", "بلومبرغ", "ORG", [], "ذكرت", Q_OIL),
        ("ترامب", "ترامب", "PERSON", [], "قال", Q_TALKS),
    ]),
    ("x-asharq-1", "Asharq Al-Awsat", "2025-11-23", [
        ("بلومبيرغ", "بلومبيرغ", "ORG", [], "ذكرت", Q_OIL),
        ("محمد بن سلمان", "محمد بن سلمان", "PERSON", ["ولي العهد السعودي"], "قال", Q_ARMS + " والشرق الأوسط"),
        ("سلمان", "سلمان", "PERSON", [], "قال", Q_NONE),
        # The same words as Witkoff's, said by someone else: not the same statement.
        ("الرئيس دونالد ترامب", "دونالد ترامب", "PERSON", ["الرئيس"], "وقال", Q_PLAN),
    ]),
]


def build_document(article_id: str, outlet: str, date: str | None, reports: list[tuple]) -> dict:
    text = ""
    entities: list[dict] = []
    atts: list[dict] = []
    for i, (surface, name, typ, titles, cue, content) in enumerate(reports, 1):
        start = len(text)
        sentence = f"{cue} {surface} إن «{content}». "
        text += sentence
        cue_s = start
        sp_s = start + len(cue) + 1
        c_s = sentence.index("«") + 1 + start
        eid = f"E{i}"
        entities.append({"id": eid, "name": name, "type": typ, "titles": titles,
                         "mentions": [[sp_s, sp_s + len(surface)]]})
        atts.append({
            "id": f"A{i}", "kind": "indirect",
            "content": {"span": [c_s, c_s + len(content)], "text": content},
            "cue": {"span": [cue_s, cue_s + len(cue)], "text": cue, "lemma": cue},
            "speaker": {"span": [sp_s, sp_s + len(surface)], "text": surface, "entity": eid, "name": name},
            "addressee": None, "channel": None, "source": None, "time": None, "confidence": 0.9,
        })
    for a in atts:  # spans must name their text
        s, e = a["content"]["span"]
        assert text[s:e] == a["content"]["text"]
        s, e = a["speaker"]["span"]
        assert text[s:e] == a["speaker"]["text"]
    return {"schema": "qawl/1", "id": article_id, "lang": "ar", "published": date, "outlet": outlet,
            "title": f"تقرير {article_id}", "url": f"https://example.org/{article_id}", "text": text.strip(),
            "captions": [], "entities": entities, "attributions": atts}


def documents() -> list[tuple[dict, dict]]:
    """(article meta, qawl/1 dict) pairs, the shape `store.add_extracted` takes."""
    out = []
    for aid, outlet, date, reports in ARTICLES:
        doc = build_document(aid, outlet, date, reports)
        meta = {"id": aid, "outlet": outlet, "published": date, "title": doc["title"], "url": doc["url"],
                "text": doc["text"], "lang": "ar"}
        out.append((meta, doc))
    return out
