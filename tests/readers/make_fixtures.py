"""Regenerate tests/readers/fixtures/ from the shared corpus: `python tests/readers/make_fixtures.py`.

The fixtures are committed so the tests show exactly what they read; texts come
from ANT-corpus articles (BBC Arabic, CNN Arabic, Jawhara FM) in
/work/shared/corpus/bench.jsonl.gz, the English and French pages are our own.
"""

from __future__ import annotations

import gzip
import html
import json
from pathlib import Path

HERE = Path(__file__).parent
FIX = HERE / "fixtures"
CORPUS = Path("/work/shared/corpus/bench.jsonl.gz")

IDS = {
    "bbc": "antms-BB-culture-10-20180211",
    "cnn": "antms-CN-economy-106-20180509",
    "jawhara": "ant11-JA-culture-16-20161203",
}

ENGLISH = [
    "The foreign minister said on Thursday that talks with the neighbouring states would resume next week "
    "in the capital, adding that the government remained committed to a comprehensive agreement.",
    "Officials familiar with the negotiations told reporters that the mediators had proposed a new timetable "
    "for the withdrawal of forces and the return of displaced families.",
    "Opposition leaders dismissed the announcement, saying the government had made similar promises before "
    "without delivering any change on the ground.",
]
FRENCH = [
    "Le ministre des affaires étrangères a déclaré jeudi que les négociations avec les pays voisins "
    "reprendraient la semaine prochaine dans la capitale.",
    "Selon des responsables proches du dossier, les médiateurs ont proposé un nouveau calendrier pour le "
    "retrait des forces et le retour des familles déplacées.",
    "Les dirigeants de l'opposition ont rejeté cette annonce, affirmant que le gouvernement avait déjà fait "
    "des promesses semblables sans aucun changement sur le terrain.",
]


def corpus() -> dict[str, dict]:
    want = set(IDS.values())
    out = {}
    with gzip.open(CORPUS, "rt", encoding="utf-8") as f:
        for line in f:
            a = json.loads(line)
            if a["id"] in want:
                out[a["id"]] = a
    return out


def paras(text: str) -> list[str]:
    return [" ".join(p.split()) for p in text.split("\n") if p.strip()]


def bbc_page(a: dict) -> str:
    """BBC Arabic style: date only as Arabic text, credit + caption with visually-hidden labels."""
    e = html.escape
    ps = paras(a["text"])
    fig = (
        '<figure><div class="media"><img src="/img/a.jpg" alt="">'
        '<span role="text"><span class="visually-hidden">مصدر الصورة، </span>Getty Images</span></div>'
        '<p class="caption"><span class="visually-hidden">التعليق على الصورة، </span>'
        "يوهانسون خلال حفل توزيع جوائز الأوسكار</p></figure>"
    )
    body = f"<p><b>{e(ps[0])}</b></p>\n{fig}\n" + "\n".join(f"<p>{e(p)}</p>" for p in ps[1:])
    return f"""<!DOCTYPE html>
<html lang="ar" dir="rtl"><head><meta charset="utf-8">
<title>{e(a['title'])} - BBC News عربي</title>
<meta property="og:site_name" content="BBC News عربي">
<meta name="author" content="بي بي سي">
<link rel="canonical" href="https://www.bbc.example/arabic/art-and-culture-43025341">
</head><body>
<header><nav><ul><li><a href="/arabic">الرئيسية</a></li><li><a href="/arabic/world">العالم</a></li>
<li><a href="/arabic/middleeast">الشرق الأوسط</a></li></ul></nav></header>
<main role="main"><article>
<header><h1>{e(a['title'])}</h1><ul class="meta"><li>11 فبراير/ شباط 2018</li></ul></header>
<div class="body">{body}</div>
<section class="related"><h2>قصص ذات صلة</h2><ul><li><a href="/x">رحيل موسيقار آيسلندي آخر</a></li></ul></section>
</article></main>
<section class="most-read"><h2>الأكثر قراءة</h2><ol><li><a href="/y">خبر الأكثر قراءة الأول عن أسعار الذهب</a></li></ol></section>
<footer><p>© 2018 بي بي سي. بي بي سي ليست مسؤولة عن محتوى المواقع الخارجية.</p></footer>
</body></html>
"""


def legacy_page(a: dict, charset_meta: str | None, title_extra: str = "") -> str:
    e = html.escape
    ps = paras(a["text"])
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={charset_meta}">' if charset_meta else ""
    return f"""<html><head>{meta}<title>{e(a['title'])}{title_extra}</title></head>
<body><div id="menu"><a href="/">الرئيسية</a> | <a href="/news">أخبار</a></div>
<div class="content"><h1>{e(a['title'])}</h1><div class="date">{a['date']}</div>
""" + "\n".join(f"<p>{e(p)}</p>" for p in ps) + """
</div><div id="footer">جميع الحقوق محفوظة</div></body></html>
"""


def plain_page(title: str, ps: list[str], lang: str) -> str:
    e = html.escape
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{e(title)}</title>'
            '<meta property="article:published_time" content="2025-11-27T08:00:00Z"></head><body>'
            '<nav><a href="/">Home</a> <a href="/world">World</a></nav><article>'
            f"<h1>{e(title)}</h1>" + "".join(f"<p>{e(p)}</p>" for p in ps)
            + "</article><footer>Copyright 2025</footer></body></html>")


def encodable(text: str, enc: str) -> str:
    return text.encode(enc, errors="ignore").decode(enc)


def main() -> None:
    FIX.mkdir(exist_ok=True)
    c = corpus()
    (FIX / "bbc_arabic_figure.html").write_text(bbc_page(c[IDS["bbc"]]), encoding="utf-8")
    cnn = c[IDS["cnn"]]
    (FIX / "cnn_windows1256.html").write_bytes(
        encodable(legacy_page(cnn, "windows-1256"), "cp1256").encode("cp1256"))
    jaw = dict(c[IDS["jawhara"]])
    jaw["text"] = encodable(jaw["text"], "iso8859_6")
    jaw["title"] = encodable(jaw["title"], "iso8859_6")
    (FIX / "jawhara_iso8859_6.html").write_bytes(legacy_page(jaw, None).encode("iso8859_6"))
    (FIX / "english.html").write_text(plain_page("Talks to resume next week", ENGLISH, "en"), encoding="utf-8")
    (FIX / "french.html").write_text(plain_page("Reprise des négociations", FRENCH, "fr"), encoding="utf-8")
    expected = {
        "bbc_arabic_figure.html": {"paragraphs": paras(c[IDS["bbc"]]["text"]), "title": c[IDS["bbc"]]["title"]},
        "cnn_windows1256.html": {"paragraphs": paras(encodable(cnn["text"], "cp1256")), "title": cnn["title"]},
        "jawhara_iso8859_6.html": {"paragraphs": paras(jaw["text"]), "title": jaw["title"]},
    }
    (FIX / "expected.json").write_text(json.dumps(expected, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
