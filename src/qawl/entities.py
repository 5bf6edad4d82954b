"""Entities within one article: mentions of the same person or organisation grouped.

``ويتكوف`` ↔ ``ستيف ويتكوف`` ↔ ``المبعوث الخاص ستيف ويتكوف`` share a name word;
a title-only mention (``المراسلة البرازيلية``، ``الرئيس التركي``) joins the entity
that carried that title before, or the most recent agreeing person speaker.
The entity's name is its fullest name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

from qawl.model import Entity
from qawl.normalize import key_fold, strip_article

# Names and sentence-opening words recur across articles; their keys are pure functions of the
# string, so a bounded memo (shared, like a cache, changing no result) spares the fold and regex.
_MEMO_MAX: Final = 100_000
_KEY_WORDS: Final[dict[str, list[str]]] = {}
_WORD_KEY: Final[dict[str, str]] = {}


def _key_of_folded(folded: str) -> str:
    """``key_fold`` of text that ``qawl.normalize.fold`` has already folded (the article's shadow
    text, as every caller here passes): only the hamza seats and letter case are left to change, so
    without a hamza it is ``lower()``, sparing the per-character table lookups."""
    if "ء" in folded or "ؤ" in folded or "ئ" in folded:
        return key_fold(folded)
    return folded.lower()


def _key_words(folded: str) -> list[str]:
    words = _KEY_WORDS.get(folded)
    if words is None:
        words = [strip_article(w) for w in _key_of_folded(folded).split() if len(w) > 1]
        if len(_KEY_WORDS) >= _MEMO_MAX:
            _KEY_WORDS.clear()
        _KEY_WORDS[folded] = words
    return list(words)  # callers keep and extend their own copy


def _word_key(word: str) -> str:
    key = _WORD_KEY.get(word)
    if key is None:
        key = strip_article(_key_of_folded(word))
        if len(_WORD_KEY) >= _MEMO_MAX:
            _WORD_KEY.clear()
        _WORD_KEY[word] = key
    return key


@dataclass(slots=True)
class _Ent:
    name: str  # original text of the fullest name
    name_words: list[str]
    kind: str
    gender: str
    plural: bool
    has_name: bool
    titles: list[str] = field(default_factory=list)
    title_keys: set[str] = field(default_factory=set)
    mentions: list[tuple[int, int]] = field(default_factory=list)

    # Written out, not generated: the compiled core then builds it natively (see docs/architecture.md).
    def __init__(self, name: str, name_words: list[str], kind: str, gender: str, plural: bool,
                 has_name: bool) -> None:
        self.name = name
        self.name_words = name_words
        self.kind = kind
        self.gender = gender
        self.plural = plural
        self.has_name = has_name
        self.titles = []
        self.title_keys = set()
        self.mentions = []


class EntityTable:
    def __init__(self) -> None:
        self.ents: list[_Ent] = []
        self._seen_words: set[str] = set()  # every name word ever recorded: a superset, for quick refusals

    def add(self, *, name: str, name_folded: str, kind: str, gender: str, plural: bool, has_name: bool,
            title: str | None, title_folded: str | None, mention: tuple[int, int],
            recent_person: int | None = None) -> int:
        """Record a mention and return its entity index."""
        words = _key_words(name_folded)
        self._seen_words.update(words)
        tkey = " ".join(_key_words(title_folded)) if title_folded else None
        idx = self._find(words, has_name, kind, gender, tkey, recent_person)
        if idx is None:
            self.ents.append(_Ent(name, words, kind, gender, plural, has_name))
            idx = len(self.ents) - 1
        e = self.ents[idx]
        if has_name and (not e.has_name or len(words) > len(e.name_words)):
            e.name, e.name_words, e.has_name = name, words, True
            e.kind = kind
        elif not has_name and not e.has_name and len(words) > len(e.name_words):
            e.name, e.name_words = name, words  # the fuller description
        if title and tkey and tkey not in e.title_keys and not set(tkey.split()) <= set(e.name_words):
            e.title_keys.add(tkey)
            e.titles.append(title)
        if not has_name and tkey is None:
            e.title_keys.add(" ".join(words))
        if mention not in e.mentions:
            e.mentions.append(mention)
        return idx

    def _find(self, words: list[str], has_name: bool, kind: str, gender: str, tkey: str | None,
              recent_person: int | None) -> int | None:
        if not words:
            return None
        key = " ".join(words)
        if has_name:
            last = words[-1]
            for i in range(len(self.ents) - 1, -1, -1):
                e = self.ents[i]
                if not e.has_name:
                    continue
                if e.name_words == words or (last in e.name_words and _compatible(words, e.name_words)):
                    return i
            return None
        # a family name with the article ("المنيف" after "أمجد المنيف") is that person
        if len(words) == 1:
            for i in range(len(self.ents) - 1, -1, -1):
                e = self.ents[i]
                if e.has_name and len(e.name_words) > 1 and e.name_words[-1] == words[0]:
                    return i
        # description or title only: the recent named person it describes ("المراسلة" -> جوليا غيمارايش),
        # else the same description, or an entity that carried this title
        if kind == "PERSON" and recent_person is not None:
            e = self.ents[recent_person]
            if e.kind == "PERSON" and e.has_name and (gender == "?" or e.gender in ("?", gender)):
                return recent_person
        # "الوزارة" after "وزارة الخدمة المدنية", "الشركة" after "شركة هيربالايف": same head noun
        if len(words) == 1:
            for i in range(len(self.ents) - 1, -1, -1):
                e = self.ents[i]
                if e.name_words and e.name_words[0] == words[0] and len(e.name_words) > 1:
                    return i
        for i in range(len(self.ents) - 1, -1, -1):
            e = self.ents[i]
            if key in e.title_keys or (not e.has_name and e.name_words == words):
                return i
        return None

    def known_name_word(self, word: str) -> bool:
        """Is this (folded) word part of the name of a named entity already met?"""
        if not self._seen_words:
            return False
        w = _word_key(word)
        return w in self._seen_words and any(e.has_name and w in e.name_words for e in self.ents)

    def name(self, idx: int) -> str:
        return self.ents[idx].name

    def gender(self, idx: int) -> str:
        return self.ents[idx].gender

    def plural(self, idx: int) -> bool:
        return self.ents[idx].plural

    def kind(self, idx: int) -> str:
        return self.ents[idx].kind

    def to_entities(self, used: set[int]) -> tuple[list[Entity], dict[int, str]]:
        out: list[Entity] = []
        ids: dict[int, str] = {}
        for i, e in enumerate(self.ents):
            if i not in used:
                continue
            ids[i] = f"E{len(out) + 1}"
            out.append(Entity(ids[i], e.name, e.kind, list(e.titles), sorted(e.mentions)))
        return out, ids


def _compatible(a: list[str], b: list[str]) -> bool:
    """Two names sharing a last word are one person unless their first names differ."""
    return not (len(a) >= 2 and len(b) >= 2 and a[-1] == b[-1] and a[0] != b[0] and a[0] not in b
                and b[0] not in a)
