"""Editors' helpers: scaffold a case, find citable passages, list what is still uncoded."""

from __future__ import annotations

import hashlib
import re
import shutil
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from .normalize import normalize, remove_artifacts
from .numbers import Mention, as_decimal, chinese_to_int, format_value, read_numbers
from .sources import SourceText

SLUG = re.compile(r"^[a-z][a-z0-9-]*$")
_CLAUSE_END = set(",;。!?:、，；！？：\n")

CASE_TEMPLATE = """\
# yaml-language-server: $schema=../../schema/case.schema.json
# Case file for {slug}. Every field is explained in the comments; `casebook check` tells you what is missing.
# Never invent facts: write only what the source text states, and null (plus a note) where it is silent.

id: {slug}                     # must equal the folder name
city: 待填写                    # city name in Chinese, e.g. 克拉玛依市
city_en: TODO                  # English name, e.g. Karamay
province: 待填写                # e.g. 新疆维吾尔自治区
province_en: TODO              # e.g. Xinjiang Uygur Autonomous Region
level: 地级市                   # 直辖市 副省级市 地级市 自治州 地区 盟 县级市 市辖区
level_en: prefecture-level city
# parent: 南阳市                # only for a county-level city: the city it belongs to

source:
  file: source.txt             # the archived text, saved unchanged in this folder
  sha256: "{sha256}"  # `casebook check` prints the right value if this is wrong
  title: null                  # verbatim from the text, or null
  author: null                 # person or body named as author in the text, or null
  author_role: null            # the author's post, as the text states it
  outlet: null                 # where the text says it appeared, or null
  published: null              # 'YYYY-MM-DD' in quotes, only if the text states it
  script: zh-Hans              # zh-Hans (Simplified) or zh-Hant (Traditional)
  notes:                       # what the text does not state (required when a field above is null)
    - 文本未注明标题、作者、刊发媒体和日期。
  furniture: []                # lines that are not article text, e.g. - {{lines: "1-3", kind: page_furniture}}
  defects: []                  # known defects, e.g. - {{kind: garbled, lines: "10", note: 说明}}

indicators:                    # one item per cited value; find quotes with `casebook cite {slug} <number>`
  - indicator: communities     # key from data/indicators.yaml
    value: 0                   # the number (3.7万 -> 37000, 98.9% -> 98.9)
    unit: 个                   # measure word; "%" for percentages
    qualifier: exact           # exact | more_than (余/多) | about (近/约) | at_least (以上/超过) | less_than | at_most
    period: 未注明年份          # or `year: 2020` when the text states the year
    scope: 全市                 # what the value covers
    quote: 待填写               # verbatim passage of source.txt that states the value, unique in it

mechanisms: []                 # - mechanism: <id from data/mechanisms.yaml>
                               #   local_name: the city's own name for it
                               #   summary: one sentence in your own words
                               #   quotes: [verbatim passages]

uncoded: []                    # numbers deliberately not coded: - {{quote: 2019年, reason: 年份}}
"""

NARRATIVE_TEMPLATE = """\
## 背景

（用自己的话介绍城市和来源：谁写的、何时、为何而写。）

## 主要做法

## 报告的成效

（来源报告的成效；数值请写在 case.yaml 中并引用原文。）

## 来源未说明的内容

（来源没有说明的：统计口径、基数、问题与不足、独立评估等。）
"""


def scaffold(root: Path, slug: str, source: Path | None = None) -> list[str]:
    """Create cases/<slug>/; return lines of guidance. Raises ValueError on a bad slug or existing folder."""
    if not SLUG.match(slug):
        raise ValueError(f"'{slug}' is not a valid case id: use lower-case latin letters, digits and '-' "
                         f"(e.g. the city's pinyin: xiamen)")
    folder = root / "cases" / slug
    if folder.exists():
        raise ValueError(f"cases/{slug}/ already exists; nothing was changed")
    folder.mkdir(parents=True)
    sha = "0" * 64
    if source is not None:
        shutil.copyfile(source, folder / "source.txt")
        sha = hashlib.sha256((folder / "source.txt").read_bytes()).hexdigest()
    (folder / "case.yaml").write_text(CASE_TEMPLATE.format(slug=slug, sha256=sha), encoding="utf-8")
    (folder / "case.md").write_text(NARRATIVE_TEMPLATE, encoding="utf-8")
    lines = [f"created cases/{slug}/case.yaml and cases/{slug}/case.md"]
    if source is None:
        lines.append(f"next: save the source text, unchanged, as cases/{slug}/source.txt; "
                     f"`casebook check` then prints its SHA-256 for source.sha256")
    else:
        lines.append(f"archived {source} as cases/{slug}/source.txt (SHA-256 {sha} recorded)")
    lines.append(f"then: `casebook cite {slug} <number or text>` to find quotes, `casebook check` to validate")
    return lines


@dataclass
class Hit:
    paragraph: int
    quote: str  # in the source's own script, artifacts removed
    mention: Mention | None
    unique: bool


def _parse_number(query: str) -> Decimal | None:
    q = normalize(query).rstrip("%")
    m = re.fullmatch(r"(\d+(?:\.\d+)?)(万|亿)?", q)
    if m:
        try:
            value = Decimal(m.group(1))
        except InvalidOperation:
            return None
        return value * {"万": 10_000, "亿": 100_000_000}.get(m.group(2) or "", 1)
    n = chinese_to_int(q)
    return Decimal(n) if n is not None else None


def _raw_quote(source: SourceText, a: int, b: int) -> str:
    """Body span [a, b) in normalised coordinates -> the original text, artifacts and line breaks removed."""
    raw_a, raw_b = source.body_map[a], source.body_map[b - 1] + 1
    text = remove_artifacts(source.raw[raw_a:raw_b])
    return re.sub(r"\s+", "", text) if not re.search(r"[A-Za-z] [A-Za-z]", text) else text.strip()


def _shortest_unique(source: SourceText, a: int, b: int) -> tuple[int, int, bool]:
    """Grow [a, b) to the enclosing clause, then further, until it occurs once in the body."""
    body = source.body
    # the clause around the hit
    ca, cb = a, b
    while ca > 0 and body[ca - 1] not in _CLAUSE_END:
        ca -= 1
    while cb < len(body) and body[cb] not in _CLAUSE_END:
        cb += 1
    # shortest unique window inside the clause that contains [a, b)
    best = None
    for left in range(a, ca - 1, -1):
        for right in range(b, cb + 1):
            if body.count(body[left:right]) == 1:
                if best is None or right - left < best[1] - best[0]:
                    best = (left, right)
                break
    if best is not None:
        # prefer the whole clause when it is short: it shows what is counted
        if cb - ca <= 40 and body.count(body[ca:cb]) == 1:
            return ca, cb, True
        return best[0], best[1], True
    # not unique within its clause: widen across clauses
    la, rb = ca, cb
    while (la > 0 or rb < len(body)) and body.count(body[la:rb]) > 1:
        la, rb = max(0, la - 5), min(len(body), rb + 5)
    return la, rb, body.count(body[la:rb]) == 1


def cite(source: SourceText, query: str) -> list[Hit]:
    """Passages of the body containing ``query`` (a number in any notation, or text)."""
    hits: list[Hit] = []
    number = _parse_number(query)
    body = source.body
    spans: list[tuple[int, int, Mention | None]] = []
    if number is not None:
        for m in read_numbers(body):
            if m.value == number:
                a, b = m.start, m.end
                # keep a qualifier written before the number, and 以上/以下 after it
                for word in ("不少于", "超过", "大约", "不足", "不到", "近", "约", "逾"):
                    if body[max(0, a - len(word)):a] == word:
                        a -= len(word)
                        break
                tail = re.match(r"^[^\d,.;:、。!?“”\"()]{0,3}?(以上|以下)", body[b:b + 6])
                if tail:
                    b += tail.end()
                spans.append((a, b, m))
    else:
        needle = normalize(query)
        start = 0
        while needle:
            i = body.find(needle, start)
            if i < 0:
                break
            spans.append((i, i + len(needle), None))
            start = i + 1
    for a, b, mention in spans:
        qa, qb, unique = _shortest_unique(source, a, b)
        para = source.paragraph_at(source.body_map[qa]).number
        hits.append(Hit(para, _raw_quote(source, qa, qb), mention, unique))
    return hits


def cite_yaml(hit: Hit) -> str:
    """Ready-to-paste YAML for one hit."""
    lines = [f"  # ¶{hit.paragraph}" + ("" if hit.unique else "  (not unique yet: lengthen the quote)")]
    quote = hit.quote.replace('"', '\\"')
    if hit.mention is not None:
        m = hit.mention
        unit = "%" if m.percent else _unit_after(hit.quote, m)
        value = format(as_decimal(m.value), "f")
        if "." in value:
            value = value.rstrip("0").rstrip(".")
        lines += ["  - indicator: TODO            # key from data/indicators.yaml",
                  f"    value: {value}",
                  f'    unit: "{unit}"',
                  f"    qualifier: {m.qualifier}",
                  "    period: 未注明年份          # or year: 20xx, as the text states",
                  "    scope: 全市",
                  f'    quote: "{quote}"']
    else:
        lines += [f'      - "{quote}"']
    return "\n".join(lines)


def _unit_after(quote: str, m: Mention) -> str:
    text = normalize(quote)
    i = text.find(re.sub(r"\s+", "", m.text))
    rest = text[i + len(m.text):] if i >= 0 else ""
    unit = re.match(r"[个名人次项支家户条件处年届级位所座栋元间套岗亩平方米]+", rest)
    return unit.group(0)[:3] if unit else "TODO"


@dataclass
class Covered:
    paragraph: int
    text: str
    value: Decimal
    status: str  # "value", "uncoded", "missing"
    detail: str


def coverage(case) -> list[Covered]:
    """Every number in the case's source body, and what accounts for it."""
    source: SourceText = case.source
    cited: list[tuple[int, int, str]] = []
    for v in case.values:
        if v.citation is not None:
            cited.append((v.citation.start, v.citation.end, f"value: {v.data.indicator}"))
    for t in case.tags:
        for c in t.citations:
            cited.append((c.start, c.end, f"mechanism: {t.data.mechanism}"))
    notes: list[tuple[int, int, str]] = []
    for item in case.data.uncoded:
        count, spans = source.find(item.quote)
        for a, b in spans:
            notes.append((a, b, f"uncoded: {item.reason}"))
    out = []
    for m in read_numbers(source.body):
        if m.text in ("一", "二", "两") or (m.text[:1] in "一二两" and len(m.text) == 2 and not m.text[1:].isdigit()
                                          and m.text[1] in "个名项次"):
            continue  # 一个, 两项: counting words, not quantitative claims
        raw_a, raw_b = source.body_map[m.start], source.body_map[m.end - 1] + 1
        para = source.paragraph_at(raw_a).number
        status, detail = "missing", ""
        value_hits = [d for a, b, d in cited if a <= raw_a and raw_b <= b and d.startswith("value")]
        note_hits = [d for a, b, d in notes if a <= raw_a and raw_b <= b]
        if value_hits:
            status, detail = "value", value_hits[0]
        elif note_hits:
            status, detail = "uncoded", note_hits[0]
        out.append(Covered(para, m.text, m.value, status, detail))
    return out


def format_number(value: Decimal) -> str:
    return format_value(value)
