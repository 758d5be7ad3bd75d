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
from bisect import bisect_right
from html import escape

from .glossary import Entry, Matcher, written_forms_of

_TAG = re.compile(r"(<[^>]*>)")
_NAME = re.compile(r"<\s*(/?)\s*([a-zA-Z0-9]+)")
SKIP = {"a", "h1", "h2", "h3", "h4", "h5", "h6", "code", "pre", "kbd", "mark", "script", "style", "svg", "abbr",
        "title", "button", "label", "textarea", "select", "option", "figcaption", "summary", "blockquote"}


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

        The text outside skipped elements is joined (NUL-separated, a character no term contains) and
        searched in one automaton call; the matches are then put back into their text nodes."""
        out: list[str] = []
        texts: list[int] = []  # indexes in ``out`` of the text nodes to annotate
        depth = 0
        stack: list[str] = []
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
            elif not depth and "\x00" not in part:
                texts.append(len(out))
            out.append(part)
        if not texts:
            return html
        joined = "\x00".join(out[i] for i in texts)
        matches = self.matcher.find(joined)
        if not matches:
            return html
        starts, offset = [], 0  # where each text node begins in ``joined``
        for i in texts:
            starts.append(offset)
            offset += len(out[i]) + 1
        by_node: dict[int, list[tuple[int, int, str]]] = {}
        for start, end, term in matches:
            k = bisect_right(starts, start) - 1
            by_node.setdefault(k, []).append((start - starts[k], end - starts[k], term))
        linked: set[str] = set()
        for k in sorted(by_node):
            out[texts[k]] = self._mark(out[texts[k]], by_node[k], glossary_url, linked)
        return "".join(out)

    def _mark(self, text: str, matches, url: str, linked: set[str]) -> str:
        pieces, pos = [], 0
        for start, end, term in matches:
            e = self.entries[term]
            pieces.append(text[pos:start])
            word = text[start:end]
            tip = self.tips[term]
            if term not in linked:
                linked.add(term)
                pieces.append(f'<a class="gloss-term" href="{url}#{e.anchor}" title="{tip}">{word}</a>'
                              f'<span class="print-pinyin">（{self.pinyin[term]}）</span>')
            else:
                pieces.append(f'<abbr class="gloss" title="{tip}">{word}</abbr>')
            pos = end
        pieces.append(text[pos:])
        return "".join(pieces)
