"""Glossary tooltips and links in rendered page HTML, in one pass per page.

The first occurrence of a term on a page links to its glossary entry (and,
for print, is followed by its pinyin); later occurrences get a tooltip
(``<abbr title>``, shown by Material's content.tooltips). Nothing is changed
inside headings, links, code, highlighted passages (``<mark>``), quoted
evidence (``<blockquote>``), SVG, or existing abbreviations. All terms are matched together by one Aho–Corasick
automaton, longest term first.
"""

from __future__ import annotations

import re
from html import escape

from .glossary import Entry, Matcher, written_forms

_TAG = re.compile(r"(<[^>]*>)")
_NAME = re.compile(r"<\s*(/?)\s*([a-zA-Z0-9]+)")
SKIP = {"a", "h1", "h2", "h3", "h4", "h5", "h6", "code", "pre", "kbd", "mark", "script", "style", "svg", "abbr",
        "title", "button", "label", "textarea", "select", "option", "figcaption", "summary", "blockquote"}


class Annotator:
    def __init__(self, entries: list[Entry]):
        self.entries = {e.term: e for e in entries}
        forms: dict[str, str] = {}
        for e in entries:
            for form in sorted(written_forms(e.term, e.data.aliases)):
                forms.setdefault(form, e.term)
        self.matcher = Matcher(forms)

    def annotate(self, html: str, glossary_url: str) -> str:
        """``glossary_url``: URL of the glossary page relative to this page."""
        out: list[str] = []
        depth = 0
        stack: list[str] = []
        linked: set[str] = set()
        for part in _TAG.split(html):
            if not part:
                continue
            if part.startswith("<"):
                m = _NAME.match(part)
                if m and not part.startswith("<!"):
                    closing, name = m.group(1), m.group(2).lower()
                    if name in SKIP and not part.endswith("/>"):
                        if closing:
                            if stack and stack[-1] == name:
                                stack.pop()
                                depth -= 1
                        else:
                            stack.append(name)
                            depth += 1
                out.append(part)
                continue
            if depth:
                out.append(part)
                continue
            out.append(self._text(part, glossary_url, linked))
        return "".join(out)

    def _text(self, text: str, url: str, linked: set[str]) -> str:
        matches = self.matcher.find(text)
        if not matches:
            return text
        pieces, pos = [], 0
        for start, end, term in matches:
            e = self.entries[term]
            pieces.append(text[pos:start])
            word = text[start:end]
            tip = escape(f"{e.pinyin}：{e.short}", quote=True)
            if term not in linked:
                linked.add(term)
                pieces.append(f'<a class="gloss-term" href="{url}#{e.anchor}" title="{tip}">{word}</a>'
                              f'<span class="print-pinyin">（{escape(e.pinyin)}）</span>')
            else:
                pieces.append(f'<abbr class="gloss" title="{tip}">{word}</abbr>')
            pos = end
        pieces.append(text[pos:])
        return "".join(pieces)
