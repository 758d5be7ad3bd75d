"""Glossary tooltips and links in rendered page HTML, in one pass per page.

The first occurrence of a term on a page links to its glossary entry (and,
for print, is followed by its pinyin); later occurrences get a tooltip
(``<abbr title>``, shown by Material's content.tooltips, and a Tab stop). Every occurrence is described
(``aria-describedby``) by the term's pinyin and short definition, written once after the first one in a hidden
element that neither the screen, the printed page nor the search index shows (its text is a ``print-pinyin``,
which search leaves out; the hidden element around it keeps it off paper). Nothing is changed
inside headings, links, code, highlighted passages (``<mark>``), quoted
evidence (``<blockquote>``), SVG, or existing abbreviations. All terms are matched together by one Aho–Corasick
automaton, longest term first.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from html import escape

from .glossary import Entry, Matcher, written_forms_of

SKIP = (
    "a",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "code",
    "pre",
    "kbd",
    "mark",
    "script",
    "style",
    "svg",
    "abbr",
    "title",
    "button",
    "label",
    "textarea",
    "select",
    "option",
    "figcaption",
    "summary",
    "blockquote",
)
# an opening or closing tag of a skipped element: as in HTML, the name follows ``<`` or ``</`` directly, and a
# tag runs to the next ``>``. Names are matched case-insensitively by a second, slower expression, used only
# on HTML that has an upper-case tag name.
_SKIP_TAG_PATTERN = r"<(/?)(" + "|".join(sorted(SKIP, key=len, reverse=True)) + r")(?![a-zA-Z0-9])[^>]*>"
_SKIP_TAG = re.compile(_SKIP_TAG_PATTERN)
_SKIP_TAG_ANY_CASE = re.compile(_SKIP_TAG_PATTERN, re.IGNORECASE)
_UPPER_CASE_TAG = re.compile(r"</?[a-z0-9]*[A-Z]")
# a "<" inside a quoted attribute value
_RAW_LT_IN_ATTRIBUTE = re.compile(r"=\s*\"[^\"]*<|=\s*'[^']*<")


class Annotator:
    def __init__(self, entries: list[Entry]):
        self.entries = {e.term: e for e in entries}
        forms: dict[str, str] = {}
        for e, written in zip(entries, written_forms_of([(e.term, e.data.aliases) for e in entries])):
            for form in sorted(written):
                forms.setdefault(form, e.term)
        self.matcher = Matcher(forms)
        # what each term's link and tooltip say, computed once rather than per occurrence
        self.tips = {e.term: escape(f"{e.pinyin}：{e.short}", quote=True) for e in entries}
        self.pinyin = {e.term: escape(e.pinyin) for e in entries}

    def annotate(self, html: str, glossary_url: str) -> str:
        """``glossary_url``: URL of the glossary page relative to this page.

        The automaton searches the whole HTML once. No term contains ``<`` or ``>``, so no match crosses a tag;
        a match is kept if it lies in text (not inside a tag) outside every skipped element. Only the tags of
        skipped elements are looked at, by one regular expression, so the cost does not grow with every tag."""
        matches = self.matcher.find(html)
        if not matches:
            return html
        skipped = _skipped_ranges(html)  # [start, end) pairs, flattened and ascending
        pieces: list[str] = []
        pos = 0
        linked: set[str] = set()
        for start, end, term in matches:
            if bisect_right(skipped, start) % 2 or _inside_tag(html, start):
                continue
            pieces.append(html[pos:start])
            pieces.append(self._mark(html[start:end], term, glossary_url, linked))
            pos = end
        if not pieces:
            return html
        pieces.append(html[pos:])
        return "".join(pieces)

    def _mark(self, word: str, term: str, url: str, linked: set[str]) -> str:
        """The first occurrence of a term on a page links to the glossary; later ones get a tooltip."""
        tip = self.tips[term]
        anchor = self.entries[term].anchor
        desc = f"{anchor}-def"
        if term in linked:
            return f'<abbr class="gloss" tabindex="0" title="{tip}" aria-describedby="{desc}">{word}</abbr>'
        linked.add(term)
        return (
            f'<a class="gloss-term" href="{url}#{anchor}" title="{tip}" aria-describedby="{desc}">{word}</a>'
            f'<span class="print-pinyin">（{self.pinyin[term]}）</span>'
            f'<span id="{desc}" hidden><span class="print-pinyin">{tip}</span></span>'
        )


def _inside_tag(html: str, pos: int) -> bool:
    """Whether ``pos`` lies between a tag's ``<`` and its ``>``."""
    return html.rfind("<", 0, pos) > html.rfind(">", 0, pos) and html.find(">", pos) != -1


def _skipped_ranges(html: str) -> list[int]:
    """Where skipped elements (and what they contain) lie: [start, end, start, end, ...], ascending.

    Elements nest as a stack of open skipped tags; a closing tag that does not close the innermost open one
    is ignored, and so is a self-closing tag. A ``<`` inside an attribute value (possible in HTML that was not
    escaped by us) is looked for only when the page has one at all."""
    bounds: list[int] = []
    stack: list[str] = []
    pattern = _SKIP_TAG_ANY_CASE if _UPPER_CASE_TAG.search(html) else _SKIP_TAG
    raw_lt = _RAW_LT_IN_ATTRIBUTE.search(html) is not None
    for m in pattern.finditer(html):
        if m.group(0).endswith("/>") or (raw_lt and _inside_tag(html, m.start())):
            continue
        closing, name = m.group(1, 2)
        name = name.lower()
        if not closing:
            if not stack:
                bounds.append(m.start())
            stack.append(name)
        elif stack and stack[-1] == name:
            stack.pop()
            if not stack:
                bounds.append(m.end())
    if stack:
        bounds.append(len(html))
    return bounds
