"""`casebook migrate`: upgrade case.yaml files written before scope and period were structured.

The old format wrote a value's scope and period as free strings (``scope: 全市社区工作者``,
``period: 目前（年份未注明）``, ``year: 2019``). The new one has fields a comparison can use
(:class:`casebook.models.Scope`, :class:`casebook.models.Period`). This module rewrites a file in place
with ruamel.yaml's round trip, so comments, key order and quoting stay as the editor wrote them.

It converts only what the old strings decide: 全市/全州 … and the case's own name are the whole city, another
place's name is a district or county, 每个社区 is per community; 2019年 is a year, 目前 is as of, 累计 and
…以来 are cumulative since, 未注明年份 is not stated. The source's words are kept as ``wording`` only where they
occur in the source. Anything else gets ``TODO``, which ``casebook check`` reports until a person decides;
every old string that the new fields do not fully restate is kept as a comment beside the field. Mechanism
tags written before tags stated their strength of evidence get ``evidence: TODO``: only a reader of the source
can say whether it names the practice. A file written before cases had an administrative division code gets
``adcode``, from ``city`` and data/adcodes.csv (:mod:`casebook.divisions`) when the table has exactly one division
of that name; otherwise ``adcode: TODO``, with the candidates in a comment. A scaffold's ``adcode: TODO`` is filled
in the same way once its ``city`` is written.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .normalize import normalize
from .placeholders import TO_WRITE_EN, VALUE_PLACEHOLDERS
from .shapes import FILE_NAME

if TYPE_CHECKING:
    from .divisions import Divisions

#: The old strings' ways of saying "no time stated" (the part in brackets adds nothing).
_UNSTATED = {
    "未注明年份",
    "年份未注明",
    "未注明期间",
    "未注明统计期间",
    "未注明",
    "起点未注明",
    "起止年份未注明",
    "现值，年份未注明",
    "年份未注明，现值",
}
_WHOLE = ("全市", "全州", "全盟", "全地区", "全区", "全县", "全旗")
_PLACE = re.compile(r"^([\u4e00-\u9fff]{2,5}?(?:市|县|旗|(?<!小|社|城|园|商|街)区))(?![\u4e00-\u9fff]*[级委])")


@dataclass
class Migrated:
    """What migrating one file did."""

    path: Path
    changed: bool
    converted: int = 0  # values whose old fields were converted (and tags given an evidence field)
    todo: list[str] = field(default_factory=list)  # "indicators.3.scope.level: 市委书记" for each TODO written


def _split(text: str) -> tuple[str, str]:
    """'目前（年份未注明）' -> ('目前', '年份未注明')."""
    text = text.strip()
    m = re.fullmatch(r"(.*?)[（(](.*)[）)]", text)
    return (m.group(1).strip(), m.group(2).strip()) if m else (text, "")


def _in_source(words: str, source: str | None) -> bool:
    return bool(words) and source is not None and normalize(words) in source


def _wording(head: str, source: str | None) -> str | None:
    """The longest part of the old period string that the source states verbatim."""
    if _in_source(head, source):
        return head
    for part in re.split(r"[，,、]", head):
        if _in_source(part.strip(), source):
            return part.strip()
    return None


def convert_period(old: str | None, year: int | None, source: str | None) -> tuple[dict, bool]:
    """The new ``period`` for an old ``period``/``year`` pair, and whether everything the old string said is
    restated (else the caller keeps the old string as a comment)."""
    head, extra = _split(old or "")
    complete = extra == "" or extra in _UNSTATED
    wording = _wording(head, source) if head and head not in _UNSTATED else None
    if head and head not in _UNSTATED and wording != head:
        complete = False
    out: dict = {}
    if year is not None:
        out = {"kind": "year", "year": year}
        if old and not re.fullmatch(rf"{year}年度?", head):
            complete = complete and wording == head
    elif m := re.fullmatch(r"(\d{4})\s*[-—–~～至到]\s*(\d{4})年?", head):
        out = {"kind": "range", "year": int(m.group(1)), "end": int(m.group(2))}
    elif m := re.fullmatch(r"(\d{4})年(?:以来|来)", head):
        out = {"kind": "since", "year": int(m.group(1))}
    elif m := re.fullmatch(r"(\d{4})年度?", head):
        out = {"kind": "year", "year": int(m.group(1))}
    elif m := re.fullmatch(r"截至(\d{4})年.*", head):
        out = {"kind": "as_of", "year": int(m.group(1))}
    elif not head or head in _UNSTATED:
        out = {"kind": "not_stated"}
    elif head.startswith(("目前", "截至目前", "现在", "当前", "现有")) or head == "截至目前":
        out = {"kind": "as_of"}
    elif "累计" in head or head.endswith("以来") or head in ("先后",):
        out = {"kind": "since"}
    else:
        out = {"kind": TO_WRITE_EN}
        complete = False
    if wording:
        out["wording"] = wording
    return out, complete


def convert_scope(old: str, city: str) -> tuple[dict, bool]:
    """The new ``scope`` for an old scope string of a case of ``city``; and whether the level was decided."""
    text = old.strip()
    head, extra = _split(text)
    for whole in (*_WHOLE, city):
        if text.startswith(whole):
            rest = text[len(whole) :].strip()
            if rest.startswith(("（", "(")) and rest.endswith(("）", ")")):
                rest = rest[1:-1].strip()
            return {"level": "city", "place": city, **({"part": rest} if rest else {})}, True
    if re.match(r"^[市州盟县区旗][、,，]?[县区旗市]?[(（]?[市]?[)）]?两级", text):
        return {"level": "city", "place": city, "part": text}, True
    for urban in ("主城区", "中心城区", "城区", "市区"):
        if text.startswith(urban):
            return {"level": "subset", "place": city, "part": text}, True
    if text.startswith("每个社区"):
        rest = text[len("每个社区") :].strip()
        if rest.startswith(("（", "(")) and rest.endswith(("）", ")")):
            rest = rest[1:-1].strip()
        return {"level": "community", "place": city, **({"part": rest} if rest else {})}, True
    if m := _PLACE.match(head):
        place = m.group(1)
        if place != city:
            rest = (head[len(place) :] + (f"（{extra}）" if extra else "")).strip()
            if rest.startswith(("（", "(")) and rest.endswith(("）", ")")):
                rest = rest[1:-1].strip()
            return {"level": "district", "place": place, **({"part": rest} if rest else {})}, True
    return {"level": TO_WRITE_EN, "place": city, "part": text}, False


def _yaml():
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.representer.add_representer(type(None), lambda r, _: r.represent_scalar("tag:yaml.org,2002:null", "null"))
    return yaml


def _is_old(item) -> bool:
    return isinstance(item.get("scope"), str) or isinstance(item.get("period"), str) or "year" in item


def _adcode(data, divisions: Divisions, result: Migrated) -> None:
    """Add ``adcode`` after ``level_en`` (or fill a scaffold's ``adcode: TODO``) from ``city``."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString

    from .divisions import look_up_city

    present = "adcode" in data
    if present and data["adcode"] != TO_WRITE_EN:
        return
    city = data.get("city")
    found = look_up_city(divisions, city) if isinstance(city, str) and city not in VALUE_PLACEHOLDERS else None
    if present and (found is None or found.adcode is None):
        return  # still undecided: a person chooses, and `check` says so
    if found is not None and found.adcode is not None:
        value, comment = DoubleQuotedScalarString(found.adcode), None
    elif found is not None:
        value, comment = TO_WRITE_EN, found.advice(divisions)
        result.todo.append(f"adcode: {comment}")
    else:
        value, comment = TO_WRITE_EN, "write `city:`, then the division's code from data/adcodes.csv"
        result.todo.append(f"adcode: {comment}")
    if present:
        data["adcode"] = value
    else:
        keys = list(data.keys())
        after = next((k for k in ("level_en", "level", "province_en", "province", "city") if k in keys), None)
        data.insert(keys.index(after) + 1 if after else len(keys), "adcode", value)
    if comment:
        data.yaml_add_eol_comment(comment, "adcode")


def migrate_text(text: str, source: str | None, path: Path, divisions: Divisions | None = None) -> tuple[str, Migrated]:
    """``text`` upgraded; ``source``: the case's source text, normalised (None if it cannot be read);
    ``divisions``: the table `adcode` is filled in from (None: it is not)."""
    from ruamel.yaml.comments import CommentedMap

    yaml = _yaml()
    data = yaml.load(text)
    result = Migrated(path, False)
    if not isinstance(data, CommentedMap) or not isinstance(data.get("indicators"), list):
        return text, result
    if divisions is not None:
        _adcode(data, divisions, result)
    city = str(data.get("city") or TO_WRITE_EN)
    for i, item in enumerate(data["indicators"]):
        if not isinstance(item, CommentedMap) or not _is_old(item):
            continue
        result.converted += 1
        keys = list(item.keys())
        old_period = item.get("period") if isinstance(item.get("period"), str) else None
        old_year = item.get("year") if isinstance(item.get("year"), int) else None
        if "period" not in item or isinstance(item.get("period"), str) or "year" in item:
            period, complete = convert_period(old_period, old_year, source)
            new = CommentedMap(period)
            at = min(keys.index(k) for k in ("year", "period") if k in keys)
            if "year" in item:
                del item["year"]
            if "period" in item:
                del item["period"]
            item.insert(at, "period", new)
            was = "；".join(x for x in (f"year: {old_year}" if old_year else "", old_period or "") if x)
            if not complete and was:
                new.yaml_add_eol_comment(f"migrated from: {was}", "kind")
            if period["kind"] == TO_WRITE_EN:
                result.todo.append(f"indicators.{i}.period.kind: {was}")
        if isinstance(item.get("scope"), str):
            old_scope = item["scope"]
            scope, decided = convert_scope(old_scope, city)
            new = CommentedMap(scope)
            at = list(item.keys()).index("scope")
            del item["scope"]
            item.insert(at, "scope", new)
            if not decided:
                new.yaml_add_eol_comment(f"migrated from: {old_scope}", "level")
                result.todo.append(f"indicators.{i}.scope.level: {old_scope}")
    for i, tag in enumerate(data.get("mechanisms") or []):
        if isinstance(tag, CommentedMap) and "evidence" not in tag:
            keys = list(tag.keys())
            at = keys.index("quotes") if "quotes" in keys else len(keys)
            tag.insert(at, "evidence", TO_WRITE_EN)
            tag.yaml_add_eol_comment("explicit (the source names the practice) or inferred (add `basis:`)", "evidence")
            result.todo.append(f"mechanisms.{i}.evidence: {tag.get('mechanism')}")
    out = io.StringIO()
    yaml.dump(data, out)
    new_text = out.getvalue()
    result.changed = new_text != text
    return new_text, result


def migrate_case(folder: Path) -> Migrated:
    """Upgrade ``folder``/case.yaml in place (written only if something changed)."""
    path = folder / "case.yaml"
    text = path.read_text(encoding="utf-8")
    source = None
    named = re.search(r"^  file:\s*['\"]?([^'\"\s#]+)", text, re.M)
    name = named.group(1) if named else "source.txt"
    src = folder / name
    if FILE_NAME.match(name) and src.is_file() and not src.is_symlink():
        source = normalize(src.read_text(encoding="utf-8", errors="replace"))
    from .divisions import load_divisions

    new_text, result = migrate_text(text, source, path, load_divisions(folder.parent.parent, []))
    if result.changed:
        path.write_text(new_text, encoding="utf-8")
    return result
