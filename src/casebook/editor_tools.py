"""Editors' helpers: scaffold a case, find citable passages, list what is still uncoded."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from .normalize import normalize, remove_artifacts
from .numbers import Mention, as_decimal, chinese_to_int, format_value, read_numbers
from .placeholders import NARRATIVE_SECTIONS, TO_WRITE, TO_WRITE_EN, VALUE_PLACEHOLDERS
from .problems import Problem
from .sources import SourceText, furniture_lines

SLUG = re.compile(r"^[a-z][a-z0-9-]*$")
_CLAUSE_END = set(",;。!?:、，；！？：\n")

CASE_TEMPLATE = """\
# yaml-language-server: $schema=../../schema/case.schema.json
# Case file for {slug}. Every field is explained in the comments; `casebook check` tells you what is missing.
# Never invent facts: write only what the source text states, and null (plus a note) where it is silent.
# Every {todo} and {todo_en} is a placeholder: `casebook check` reports each one until you replace it.

id: {slug}                     # must equal the folder name
{metadata}
# parent: 南阳市                # only for a county-level city or a district: the city it belongs to

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
  furniture: []                # lines that are not article text (title, byline, page headers, captions, editor
                               # credits), e.g. - {{lines: "1-2", kind: page_furniture}}; `cite` and `coverage`
                               # leave them out
  defects: []                  # known defects, e.g. - {{kind: garbled, lines: "10", note: 说明}}

indicators:                    # one item per cited value; paste what `casebook cite {slug} <number>` prints
  - indicator: {todo_en}               # key from data/indicators.yaml
    value: 0                   # the number (3.7万 -> 37000, 98.9% -> 98.9)
    unit: 个                   # measure word; "%" for percentages
    qualifier: exact           # exact | more_than (余/多/超过) | about (近/约) | at_least (以上/不少于) | less_than (不足) | at_most | projected (预计/计划/目标)
    period:                    # when the value holds
      kind: not_stated         # year | range | as_of (目前, 截至…) | since (累计, …以来) | not_stated
      # year: 2020             # year: that year; range, since: the first year; as_of: the date's year
      # end: 2021              # range only: the last year
      # wording: 今年以来      # the source's own words for the time, verbatim
    scope:                     # what the value covers
      level: city              # city (全市/全州: the whole case) | district (a district or county inside it)
                               # | subdistrict | community (one or each community) | subset (a named part)
      place: {todo}             # the place's name; for level city the case's city, e.g. 克拉玛依市
      # part: 社区工作者       # which part of the place the value covers, if not all of it
    quote: {todo}               # verbatim passage of source.txt that states the value, unique in it

mechanisms: []                 # - mechanism: <id from data/mechanisms.yaml>
                               #   local_name: the city's own name for it
                               #   summary: one sentence in your own words
                               #   evidence: explicit (the source names the practice) or inferred (you read it
                               #             from a description; then say why in `basis:`)
                               #   quotes: [verbatim passages]

uncoded: []                    # numbers deliberately not coded: - {{quote: 2019年, reason: 年份}}
"""

NARRATIVE_TEMPLATE = "".join(f"## {heading}\n\n{text}\n\n" for heading, text in NARRATIVE_SECTIONS).rstrip("\n") + "\n"


def _width(text: str) -> int:
    """Columns the text takes in an editor (a Han character takes two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _comment(line: str, comment: str) -> str:
    return line + " " * max(1, 31 - _width(line)) + "# " + comment


_YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}


def _yaml_text(text: str) -> str:
    """A name as a YAML value: plain where it can only be read as that text, else in double quotes."""
    plain = re.fullmatch(r"[\u4e00-\u9fff·]+|[A-Za-z][A-Za-z ]*[A-Za-z]", text) and text.lower() not in _YAML_WORDS
    return text if plain else json.dumps(text, ensure_ascii=False)


def metadata_lines(root: Path, slug: str, city: str | None) -> tuple[list[str], list[str]]:
    """The scaffold's lines from `city:` to `adcode:`, and lines of guidance: with ``city``, its code, province
    and the province's English name come from data/adcodes.csv and data/provinces.yaml when the table has exactly
    one division of that name; otherwise they are placeholders, with the candidates (or the way to add the
    division) in a comment."""
    from .data_files import load_provinces
    from .divisions import KIND_WORDS, levels_for, load_divisions, look_up_city

    adcode, province, province_en = TO_WRITE_EN, TO_WRITE, TO_WRITE_EN
    adcode_comment = 'six digits from data/adcodes.csv, in quotes, e.g. "650200" (克拉玛依市)'
    level_comment = "直辖市 副省级市 地级市 自治州 地区 盟 县级市 市辖区 (`cite` proposes scopes from it)"
    extra: list[str] = []
    guidance: list[str] = []
    if city is None:
        guidance.append(
            f"write `city:` and run `casebook migrate {slug}`: it fills in `adcode:` when data/adcodes.csv has one "
            "division of that name (or give `--city` to `casebook new`)"
        )
    else:
        divisions = load_divisions(root, [])
        if divisions is None:
            guidance.append("data/adcodes.csv could not be read: `adcode:` and `province:` are left for you")
        else:
            found = look_up_city(divisions, city)
            guidance.append(found.advice(divisions))
            if found.province is not None:
                province = found.province[1]
                en = {p.code: p.en for p in load_provinces(root, [])}.get(found.province[0])
                province_en = _yaml_text(en) if en else TO_WRITE_EN
            if found.adcode is not None:
                adcode = f'"{found.adcode}"'
                adcode_comment = f"{city} in data/adcodes.csv (filled in by casebook new)"
                kind = divisions.kind_of(found.adcode)
                level_comment = f"{' '.join(levels_for(kind))} (the code is {KIND_WORDS[kind].split()[1]})"
            elif found.codes:
                adcode_comment = f"several divisions are named {city}: write the one you mean"
                extra = [f"#   {c} {city}{divisions.describe(c)[len(c) :]}" for c in found.codes]
            else:
                adcode_comment = f"{city} is not in data/adcodes.csv: see data/adcodes-supplement.csv"
    lines = [
        _comment(
            f"city: {_yaml_text(city) if city else TO_WRITE}",
            "city name in Chinese, as data/adcodes.csv has it, e.g. 克拉玛依市 (a district: its own name)",
        ),
        _comment(f"city_en: {TO_WRITE_EN}", "English name, e.g. Karamay"),
        _comment(f"province: {province}", "as data/adcodes.csv names it, e.g. 新疆维吾尔自治区"),
        _comment(f"province_en: {province_en}", "e.g. Xinjiang Uygur Autonomous Region"),
        _comment(f"level: {TO_WRITE}", level_comment),
        _comment(f"level_en: {TO_WRITE_EN}", "e.g. prefecture-level city, county-level city, district"),
        _comment(f"adcode: {adcode}", adcode_comment),
        *extra,
    ]
    return lines, guidance


def scaffold(root: Path, slug: str, source: Path | None = None, city: str | None = None) -> list[str]:
    """Create cases/<slug>/; return lines of guidance. ``city``: the city's name in Chinese, whose code and
    province are then filled in from data/adcodes.csv where the name is unique there. Raises ValueError on a
    bad slug or city, or an existing folder (nothing is written then)."""
    from .shapes import ShapeError, check_name

    if not SLUG.match(slug):
        raise ValueError(
            f"'{slug}' is not a valid case id: use lower-case latin letters, digits and '-' "
            f"(e.g. the city's pinyin: xiamen)"
        )
    if city is not None:
        try:
            check_name(city)
        except ShapeError as exc:
            raise ValueError(f"--city '{city}' {exc.message}: {exc.hint}") from None
    folder = root / "cases" / slug
    if folder.exists():
        raise ValueError(f"cases/{slug}/ already exists; nothing was changed")
    metadata, found = metadata_lines(root, slug, city)
    folder.mkdir(parents=True)
    sha = "0" * 64
    if source is not None:
        shutil.copyfile(source, folder / "source.txt")
        sha = hashlib.sha256((folder / "source.txt").read_bytes()).hexdigest()
    (folder / "case.yaml").write_text(
        CASE_TEMPLATE.format(slug=slug, sha256=sha, todo=TO_WRITE, todo_en=TO_WRITE_EN, metadata="\n".join(metadata)),
        encoding="utf-8",
    )
    (folder / "case.md").write_text(NARRATIVE_TEMPLATE, encoding="utf-8")
    lines = [f"created cases/{slug}/case.yaml and cases/{slug}/case.md"]
    if source is None:
        lines.append(
            f"next: save the source text, unchanged, as cases/{slug}/source.txt; "
            f"`casebook check` then prints its SHA-256 for source.sha256"
        )
    else:
        lines.append(f"archived {source} as cases/{slug}/source.txt (SHA-256 {sha} recorded)")
    lines += [f"adcode: {line}" for line in found]
    lines.append(
        f"then: replace every {TO_WRITE} and {TO_WRITE_EN} in cases/{slug}/case.yaml and the bracketed "
        f"paragraphs of case.md; mark the title and byline lines as `furniture`; "
        f"`casebook cite {slug} <number or text>` finds quotes, `casebook check` validates"
    )
    return lines


@dataclass
class CaseSource:
    """What `cite` needs of a case that may not pass `check` yet."""

    source: SourceText | None  # None: the source could not be read (``problems`` say why)
    city: str | None  # the case's city if case.yaml states one (not a placeholder)
    problems: list  # why the source, or case.yaml's furniture, could not be read
    furniture_known: bool  # False: case.yaml did not load, so no line is left out as furniture


def read_case_source(folder: Path) -> CaseSource:
    """The case's source, split and normalised as `check` does it (furniture lines left out of the body), read
    from case.yaml even when the case has problems (placeholders, quotes still to find). Reads inside the
    repository only."""
    from pydantic import TypeAdapter, ValidationError

    from .confine import read_bytes
    from .models import Furniture
    from .shapes import FileName, Name
    from .yamlload import decode, load_yaml

    root = folder.parent.parent
    problems: list = []
    yaml_path = folder / "case.yaml"
    loaded = load_yaml(yaml_path, problems, root=root) if yaml_path.exists() or yaml_path.is_symlink() else None
    data: dict = loaded.data if loaded is not None and isinstance(loaded.data, dict) else {}
    block: dict = data["source"] if isinstance(data.get("source"), dict) else {}
    file_name = "source.txt"
    try:
        file_name = TypeAdapter(FileName).validate_python(block.get("file", file_name))
    except ValidationError:
        pass  # check reports it; the scaffold's name is the one to try
    furniture = []
    raw_items = block.get("furniture")
    for i, item in enumerate(raw_items if isinstance(raw_items, list) else []):
        try:
            furniture.append(Furniture.model_validate(item))
        except ValidationError:
            line, col = loaded.where(("source", "furniture", i)) if loaded is not None else (1, 1)
            problems.append(
                Problem(
                    yaml_path,
                    line,
                    col,
                    "this furniture item is not valid, so its lines are searched too",
                    'write it as - {lines: "1-2", kind: page_furniture}; `casebook check` says more',
                )
            )
    city = data.get("city") if isinstance(data.get("city"), str) else None
    try:
        city = TypeAdapter(Name).validate_python(city) if city and city not in VALUE_PLACEHOLDERS else None
    except ValidationError:
        city = None
    path = folder / file_name
    if not path.exists() and not path.is_symlink():
        problems.append(
            Problem(
                path,
                1,
                1,
                f"{file_name} is missing",
                f"save the source text, unchanged, as cases/{folder.name}/{file_name}",
            )
        )
        return CaseSource(None, city, problems, loaded is not None)
    raw = read_bytes(path, root, "source", problems)
    text = decode(raw, path, problems) if raw is not None else None
    source = SourceText.parse(text, furniture_lines(furniture)) if text is not None else None
    return CaseSource(source, city, problems, loaded is not None)


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
                    if body[max(0, a - len(word)) : a] == word:
                        a -= len(word)
                        break
                tail = re.match(r"^[^\d,.;:、。!?“”\"()]{0,3}?(以上|以下)", body[b : b + 6])
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


def scope_lines(city: str | None) -> list[str]:
    """The `scope:` lines `cite` proposes: the whole of the case's city, or a placeholder for its name."""
    place = city or TO_WRITE
    hint = "the case's city" if city else "write the case's city; set `city:` in case.yaml and cite fills it in"
    return [
        "    scope:",
        "      level: city              # the whole case; a part of it: district, subdistrict, community or subset",
        f"      place: {place}          # {hint}",
    ]


def cite_yaml(hit: Hit, city: str | None = None) -> str:
    """Ready-to-paste YAML for one hit; ``city``: the case's city (for the proposed scope)."""
    lines = [f"  # ¶{hit.paragraph}" + ("" if hit.unique else "  (not unique yet: lengthen the quote)")]
    quote = hit.quote.replace('"', '\\"')
    if hit.mention is not None:
        m = hit.mention
        unit = "%" if m.percent else _unit_after(hit.quote, m)
        value = format(as_decimal(m.value), "f")
        if "." in value:
            value = value.rstrip("0").rstrip(".")
        lines += [
            f"  - indicator: {TO_WRITE_EN}            # key from data/indicators.yaml",
            f"    value: {value}",
            f'    unit: "{unit}"',
            f"    qualifier: {m.qualifier}",
            "    period:",
            "      kind: not_stated         # or year / as_of / since / range, with `year:`, as the text states",
            *scope_lines(city),
            f'    quote: "{quote}"',
        ]
    else:
        lines += [f'      - "{quote}"']
    return "\n".join(lines)


def _unit_after(quote: str, m: Mention) -> str:
    text = normalize(quote)
    i = text.find(re.sub(r"\s+", "", m.text))
    rest = text[i + len(m.text) :] if i >= 0 else ""
    unit = re.match(r"[个名人次项支家户条件处年届级位所座栋元间套岗亩平方米]+", rest)
    return unit.group(0)[:3] if unit else TO_WRITE_EN


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
        if m.text in ("一", "二", "两") or (
            m.text[:1] in "一二两" and len(m.text) == 2 and not m.text[1:].isdigit() and m.text[1] in "个名项次"
        ):
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
