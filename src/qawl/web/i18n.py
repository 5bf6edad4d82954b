"""The interface's message catalogue: Arabic first, English as a toggle (`?lang=en` or cookie)."""

from __future__ import annotations

LANGS = ("ar", "en")
DEFAULT_LANG = "ar"

# key: (Arabic, English)
MESSAGES: dict[str, tuple[str, str]] = {
    "app_title": ("قول — من قال ماذا", "qawl — who said what"),
    "tagline": ("من قال ماذا، لمن، ومتى، وبحسب من — في الأخبار العربية",
                "Who said what, to whom, when, and according to whom — in Arabic news"),
    "nav_home": ("الرئيسية", "Home"),
    "nav_speakers": ("المتحدثون", "Speakers"),
    "nav_articles": ("المقالات", "Articles"),
    "nav_network": ("الشبكة", "Network"),
    "nav_analyse": ("تحليل نص", "Analyse"),
    "nav_api": ("واجهة البرمجة", "API"),
    "switch_lang": ("English", "العربية"),
    "skip": ("انتقل إلى المحتوى", "Skip to content"),
    "search": ("بحث", "Search"),
    "search_placeholder": ("ابحث في التصريحات…", "Search statements…"),
    "speaker": ("المتحدث", "Speaker"),
    "outlet": ("الوسيلة", "Outlet"),
    "kind": ("النوع", "Kind"),
    "any": ("الكل", "Any"),
    "since": ("من تاريخ", "Since"),
    "until": ("إلى تاريخ", "Until"),
    "latest": ("أحدث التصريحات", "Latest statements"),
    "top_speakers": ("الأكثر اقتباسًا", "Most-quoted speakers"),
    "results": ("النتائج", "Results"),
    "no_results": ("لا نتائج.", "No results."),
    "empty_store": ("المخزن فارغ. شغّل ‎qawl demo‎ أو ‎qawl ingest‎ لإضافة مقالات.",
                    "The store is empty. Run `qawl demo` or `qawl ingest` to add articles."),
    "next": ("التالي", "Next"),
    "prev": ("السابق", "Previous"),
    "statements": ("التصريحات", "Statements"),
    "statement": ("التصريح", "Statement"),
    "articles": ("المقالات", "Articles"),
    "article": ("المقال", "Article"),
    "outlets": ("الوسائل", "Outlets"),
    "addressees": ("المخاطَبون", "Addressees"),
    "titles": ("الألقاب", "Titles"),
    "aliases": ("الأسماء الأخرى", "Aliases"),
    "first_seen": ("أول ظهور", "First seen"),
    "last_seen": ("آخر ظهور", "Last seen"),
    "timeline": ("التصريحات أسبوعيًا", "Statements per week"),
    "week": ("أسبوع", "week"),
    "provenance": ("المصادر التي نقلته", "Carried by"),
    "reports": ("نقل", "reports"),
    "in_reading_order": ("التصريحات بترتيب القراءة", "Statements in reading order"),
    "no_statements": ("لم يُعثر على تصريحات في هذا النص.", "No statements found in this text."),
    "cue": ("فعل القول", "Cue"),
    "content": ("المضمون", "Content"),
    "addressee": ("المخاطَب", "Addressee"),
    "channel": ("الوسيط", "Channel"),
    "source": ("المصدر", "Source"),
    "time": ("الزمن", "Time"),
    "date": ("التاريخ", "Date"),
    "confidence": ("الثقة", "Confidence"),
    "speaker_page": ("صفحة المتحدث", "Speaker page"),
    "statement_page": ("مصادر التصريح", "Statement provenance"),
    "unknown_speaker": ("متحدث غير محدد", "Unresolved speaker"),
    "k_direct": ("مباشر", "direct"),
    "k_indirect": ("غير مباشر", "indirect"),
    "k_mixed": ("مختلط", "mixed"),
    "k_according": ("بحسب", "according"),
    "legend": ("دليل الألوان", "Legend"),
    "caption": ("تعليق صورة أو حشو", "Caption / boilerplate"),
    "original": ("المصدر الأصلي", "Original"),
    "analyse_title": ("حلّل نصًا", "Analyse a text"),
    "analyse_help": ("الصق مقالًا عربيًا لترى التصريحات فورًا. لا يُحفظ شيء إلا إذا طلبت ذلك.",
                     "Paste an Arabic article to see its statements at once. Nothing is stored unless you ask."),
    "text": ("النص", "Text"),
    "url": ("رابط", "URL"),
    "title": ("العنوان", "Title"),
    "analyse": ("حلّل", "Analyse"),
    "store_it": ("احفظه في المخزن (يتطلب الرمز)", "Store it (needs the token)"),
    "token": ("رمز الكتابة", "Write token"),
    "stored": ("حُفظ في المخزن.", "Stored."),
    "open_article": ("افتح صفحة المقال", "Open the article page"),
    "network_title": ("من يخاطب من", "Who speaks to whom"),
    "network_help": ("سهم: متحدث يخاطب جهة. خط متقطع: ذُكرا في المقال نفسه. اسحب العُقد؛ انقر لفتح صفحة المتحدث.",
                     "Arrow: a speaker addresses someone. Dashed: quoted in the same article. "
                     "Drag nodes; click to open a speaker."),
    "edges_addresses": ("يخاطب", "addresses"),
    "edges_coquoted": ("في المقال نفسه", "co-quoted"),
    "min_weight": ("أدنى وزن", "Min. weight"),
    "nodes": ("عدد العقد", "Nodes"),
    "filter_name": ("تصفية بالاسم", "Filter by name"),
    "apply": ("تطبيق", "Apply"),
    "needs_js": ("يتطلب الرسم البياني جافاسكربت؛ هذه قائمة الروابط:", "The graph needs JavaScript; links:"),
    "api_docs": ("توثيق واجهة البرمجة", "API documentation"),
    "not_found": ("غير موجود", "Not found"),
    "error": ("خطأ", "Error"),
    "stats_line": ("{articles} مقالًا، {statements} تصريحًا، {speakers} متحدثًا",
                   "{articles} articles, {statements} statements, {speakers} speakers"),
    "read_only": ("الخادم للقراءة فقط", "read-only server"),
    "person": ("شخص", "person"),
    "org": ("جهة", "organisation"),
    "all_speakers": ("كل المتحدثين", "All speakers"),
    "filter": ("تصفية", "Filter"),
    "words": ("كلمة", "words"),
}


def pick_lang(query: str | None, cookie: str | None) -> str:
    for cand in (query, cookie):
        if cand in LANGS:
            return cand  # type: ignore[return-value]
    return DEFAULT_LANG


def translator(lang: str):
    idx = 0 if lang == "ar" else 1

    def t(key: str, **kw: object) -> str:
        pair = MESSAGES.get(key)
        s = pair[idx] if pair else key
        return s.format(**kw) if kw else s

    return t
