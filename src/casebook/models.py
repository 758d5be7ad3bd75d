"""The schema of the library's data files, as pydantic models.

Unknown keys are forbidden everywhere, and types are strict: ``value: "12"``
is an error, not the number 12. The JSON Schema editors use for
autocompletion is generated from these models (``casebook schema``).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from .divisions import CODE_PATTERN, adcode_text, check_adcode
from .shapes import FileName, Line, Name, Pinyin, Quote, Text, Unit, Year

Slug = Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]{0,39}$", description="lower-case latin letters, digits and '-'")]
Key = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,59}$", description="lower-case latin letters, digits and '_'")]
Lines = Annotated[
    str, Field(pattern=r"^\d{1,6}(-\d{1,6})?$", description="a line number of source.txt, or a range '23-29'")
]
Formula = Annotated[
    str,
    Field(
        pattern=r"^[a-z0-9_ .+*/()-]{1,200}$", description="arithmetic: input names, numbers, + - * / and parentheses"
    ),
]
FormulaName = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,39}$")]
MAX_VALUE = 1e13  # larger numbers are typing mistakes (the largest sums in the sources are in 亿元)
Qualifier = Literal["exact", "more_than", "about", "at_least", "less_than", "at_most", "projected"]
Evidence = Literal["explicit", "inferred"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class Furniture(_Strict):
    """Lines of the source that are not article text: they are shown, marked, and never cited."""

    lines: Lines
    kind: Literal["page_furniture", "caption", "boilerplate"] = Field(
        description="page_furniture: newspaper page/navigation lines; caption: a photo caption; "
        "boilerplate: web-page text such as editor credits or QR-code prompts"
    )
    note: Text | None = None


class Defect(_Strict):
    """A known defect of the archived text: a fault of the file as received, described so readers can judge it."""

    kind: Literal[
        "caption_splice",
        "broken_paragraph",
        "broken_heading",
        "garbled",
        "missing_text",
        "pinyin_artifacts",
        "split_value",
        "other",
    ]
    lines: Lines | None = None
    note: Text


class Source(_Strict):
    """The archived source: its file, checksum and what the text itself says about it."""

    file: FileName = Field("source.txt", description="plain file name inside the case folder, e.g. source.txt")
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")] = Field(
        description="SHA-256 of the file; `casebook check` prints the right value if it differs"
    )
    title: Line | None = Field(description="verbatim from the text, or null if the text has none")
    author: Line | None = Field(description="person or body named as author in the text, or null")
    author_role: Line | None = Field(None, description="the author's post as the text states it")
    outlet: Line | None = Field(description="where the text says it appeared, or null")
    published: Annotated[str, Field(pattern=r"^\d{4}(-\d{2}(-\d{2}( \d{2}:\d{2})?)?)?$")] | None = Field(
        description="publication date as the text states it, 'YYYY-MM-DD', in quotes; or null"
    )
    edition: Line | None = Field(None, description="page or section, e.g. 第30版, if stated")
    script: Literal["zh-Hans", "zh-Hant"]
    notes: list[Text] = Field(
        default_factory=list, description="what the text does not say (required when a field above is null)"
    )
    furniture: list[Furniture] = Field(default_factory=list)
    defects: list[Defect] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unknowns_explained(self):
        missing = [n for n in ("title", "author", "outlet", "published") if getattr(self, n) is None]
        if missing and not self.notes:
            raise ValueError(f"{', '.join(missing)} unknown: add a `notes:` entry saying what the text does not state")
        return self


class Derived(_Strict):
    """A value computed from other values of the same case, never shown as stated."""

    formula: Formula = Field(description="arithmetic over the input names, e.g. 'large / share * 100'")
    inputs: dict[FormulaName, Key] = Field(
        description="name used in the formula -> indicator key of a stated value of this case"
    )
    round: int = Field(0, ge=0, le=6, description="decimal places the result is rounded to")


ScopeLevel = Literal["city", "district", "subdistrict", "community", "subset"]
SCOPE_LEVELS: tuple[ScopeLevel, ...] = ("city", "district", "subdistrict", "community", "subset")
PeriodKind = Literal["year", "range", "as_of", "since", "not_stated"]


class Scope(_Strict):
    """What a value covers: an administrative level, the place, and (optionally) which part of it."""

    level: ScopeLevel = Field(
        description="city: the case's whole city, prefecture or league (全市, 全州, 全盟); district: one district, "
        "county or county-level city inside it (延吉市, 城区); subdistrict: one or each street (街道); community: "
        "one or each community (每个社区); subset: a named part that is not a whole place, such as the compounds "
        "assigned to units (包保小区) or one group of people"
    )
    place: Name = Field(description="the place's name, e.g. 克拉玛依市, 延吉市; for level city, the case's city")
    part: Line | None = Field(
        None,
        description="which part of the place the value covers, in your words, e.g. 社区工作者, 市、县两级党委书记; "
        "omit when the value covers the whole place",
    )


class Period(_Strict):
    """When a value holds: a year, a range of years, as of a date, cumulative since a start, or not stated."""

    kind: PeriodKind = Field(
        description="year: in one year (2019年); range: over years `year`–`end`; as_of: a count at a time "
        "(目前, 截至2019年底); since: cumulative since a start (2018年以来, 累计); not_stated: the text gives no time"
    )
    year: Year | None = Field(
        None,
        description="year: the year; range: the first year; as_of: the year of the date (omit for 目前: as of "
        "publication); since: the starting year (omit when not stated, e.g. 累计)",
    )
    end: Year | None = Field(None, description="range only: the last year")
    wording: Line | None = Field(
        None, description="the source's own words for the period, verbatim, e.g. 今年以来, 目前, 近三年来"
    )

    @model_validator(mode="after")
    def _shape(self):
        if self.kind in ("year", "range") and self.year is None:
            raise ValueError(f"a period of kind {self.kind} needs `year:`")
        if self.kind == "range" and (self.end is None or self.end < (self.year or 0)):
            raise ValueError("a range needs `end:`, a year not before `year:`")
        if self.kind != "range" and self.end is not None:
            raise ValueError("`end:` belongs to a range only: remove it or set `kind: range`")
        if self.kind == "not_stated" and self.year is not None:
            raise ValueError("a period that is not stated has no `year:`: remove it or choose another kind")
        return self


class IndicatorValue(_Strict):
    """One cited value: an indicator, its value, and the verbatim passage that states it."""

    indicator: Key = Field(description="key from data/indicators.yaml")
    value: (
        Annotated[int, Field(ge=-MAX_VALUE, le=MAX_VALUE)]
        | Annotated[float, Field(ge=-MAX_VALUE, le=MAX_VALUE, allow_inf_nan=False)]
    ) = Field(description="the number as a plain number: 3.7万 -> 37000, 98.9% -> 98.9")
    unit: Unit = Field(description="unit as written, one of the indicator's units, e.g. 个, 名, 元, %, 平方米")
    qualifier: Qualifier = Field(
        description="exact; more_than (余/多/超过/逾); about (近/约); at_least (以上/不少于); less_than (不足/不到); "
        "at_most (以下); projected (预计/计划/目标: an estimate or plan, not a reported fact)"
    )
    period: Period
    scope: Scope
    quote: Quote | None = Field(None, description="verbatim passage of the source that states the value (unique in it)")
    derived: Derived | None = None
    note: Text | None = Field(None, description="the editor's source criticism; published beside the value")

    @model_validator(mode="after")
    def _shape(self):
        if self.derived is None and self.quote is None:
            raise ValueError("a stated value needs `quote:` (the verbatim passage); a computed one needs `derived:`")
        if self.derived is not None and self.quote is not None:
            raise ValueError("a derived value cites its inputs, not a quote: remove `quote:` or `derived:`")
        return self


class MechanismTag(_Strict):
    """A mechanism the case reports, in the city's own words."""

    mechanism: Key = Field(description="id from data/mechanisms.yaml")
    local_name: Name = Field(description="the name the city uses, e.g. 三长一员一民警")
    summary: Text = Field(description="one sentence in your own words")
    evidence: Evidence = Field(
        description="explicit: the source names the practice, in the words of the mechanism or under the city's "
        "local name; inferred: the source describes what was done without naming it, and the editor reads the "
        "mechanism from that description"
    )
    basis: Text | None = Field(
        None,
        description="in your own words, why the quoted description amounts to the mechanism (required when "
        "evidence is inferred); shown on the mechanism page as 编者判断依据",
    )
    quotes: list[Quote] = Field(min_length=1, description="verbatim passages of the source")

    @model_validator(mode="after")
    def _basis_for_inferred(self):
        if self.evidence == "inferred" and not self.basis:
            raise ValueError(
                "an inferred tag needs `basis:`: say in your own words why the quoted description amounts to the "
                "mechanism (or set `evidence: explicit` if the source names the practice)"
            )
        return self


class Uncoded(_Strict):
    """A number in the source that is deliberately not coded as a value, and why."""

    quote: Quote = Field(description="verbatim passage containing the number")
    reason: Text = Field(description="why it is not an indicator value, e.g. 年份, 项目名称, 文件编号")


Adcode = Annotated[
    str,
    BeforeValidator(adcode_text),
    AfterValidator(check_adcode),
    Field(json_schema_extra={"pattern": CODE_PATTERN}),
]


class Case(_Strict):
    """One city's case: metadata, cited values, and mechanisms."""

    id: Slug = Field(description="equals the folder name")
    city: Name
    city_en: Name
    province: Name
    province_en: Name
    level: Literal["直辖市", "副省级市", "地级市", "自治州", "地区", "盟", "县级市", "市辖区"]
    level_en: Name
    adcode: Adcode = Field(
        description="the division's administrative division code (GB/T 2260 行政区划代码): six digits, in quotes, "
        'as data/adcodes.csv (or data/adcodes-supplement.csv) lists it, e.g. "650200" for 克拉玛依市; its name there '
        "must be `city`, its province `province`, and its kind suit `level`"
    )
    parent: Name | None = Field(None, description="the city a county-level city belongs to, e.g. 南阳市")
    source: Source
    indicators: list[IndicatorValue] = Field(min_length=1)
    mechanisms: list[MechanismTag] = Field(default_factory=list)
    uncoded: list[Uncoded] = Field(
        default_factory=list, description="numbers of the source that are not values, each with a reason"
    )


class OtherUnit(_Strict):
    """A unit besides the indicator's own that a value may be written in."""

    unit: Unit
    factor: Annotated[float, Field(gt=0, le=MAX_VALUE)] | Annotated[int, Field(gt=0, le=MAX_VALUE)] | None = Field(
        None,
        description="how many of the indicator's unit one of this unit is (家 beside 个: 1; 万元 beside 元: 10000); "
        "omit when the two cannot be converted: comparisons then flag the value",
    )


class IndicatorDef(_Strict):
    """An indicator, defined once for all cases."""

    key: Key
    name: Name
    name_en: Line
    unit: Unit = Field(description="the unit values are usually written in")
    other_units: list[OtherUnit] = Field(
        default_factory=list, description="other units a value of this indicator may be written in (e.g. 家 beside 个)"
    )
    kind: Literal["count", "ratio", "money", "area", "percent", "age", "times", "duration"]
    group: Key
    counts: Text = Field(description="what one unit of this indicator is, in a phrase: e.g. 一个城市社区（居委会）")
    levels: list[ScopeLevel] = Field(
        default_factory=lambda: list(SCOPE_LEVELS),
        min_length=1,
        description="the scope levels at which a value meets the definition (default: all); a value at another "
        "level is refused by check",
    )
    definition: Text
    comparability: Text = Field(description="what limits comparison across cities")


class Group(_Strict):
    id: Key
    name: Name
    name_en: Name


class MechanismDef(_Strict):
    """A mechanism, defined once for all cases."""

    id: Key
    name: Name
    name_en: Name
    group: Key
    definition: Text
    related_indicators: list[Key] = Field(default_factory=list)
    related_mechanisms: list[Key] = Field(default_factory=list)


class MechanismsFile(_Strict):
    groups: list[Group] = Field(min_length=1)
    mechanisms: list[MechanismDef] = Field(min_length=1)


class GlossaryTerm(_Strict):
    """A term of the glossary. Which cases it occurs in is computed, never typed."""

    term: Name = Field(description="as a reader looks it up, in Simplified characters")
    pinyin: Pinyin | None = Field(
        None,
        description="override only where pypinyin is wrong: tone-marked syllables "
        "separated by spaces, one per Han character",
    )
    pinyin_note: Text | None = Field(None, description="why the override is needed")
    en: Line = Field(description="English gloss")
    definition: Text = Field(description="in your own words, Chinese")
    mechanisms: list[Key] = Field(default_factory=list, description="ids from data/mechanisms.yaml")
    aliases: list[Name] = Field(default_factory=list, description="other written forms found in the sources")


class GlossaryFile(_Strict):
    terms: list[GlossaryTerm] = Field(min_length=1)


class IndicatorsFile(_Strict):
    groups: list[Group] = Field(min_length=1)
    indicators: list[IndicatorDef] = Field(min_length=1)


class Policy(_Strict):
    """What every case must have, whoever adds it (data/policy.yaml). `casebook check` enforces it and the
    contributor guide states it; the seed cases' stricter bar is a test of its own."""

    min_values: int = Field(
        ge=1, le=1000, description="values a case cites from its source, derived values not counted"
    )
    min_tags: int = Field(ge=1, le=100, description="mechanisms a case reports, each with at least one verbatim quote")


SiteUrl = Annotated[
    str,
    Field(
        pattern=r"^https?://[^\s<>\"'`#?]+$",
        description="the published site's address, e.g. https://example.org/casebook/ (http or https, no query)",
    ),
]


class Province(_Strict):
    """One provincial-level division (data/provinces.yaml)."""

    code: str = Field(pattern=r"^[1-8][0-9]$", description="GB/T 2260: the first two digits of its codes, e.g. 65")
    name: Name = Field(description="the full name, as in data/adcodes.csv, e.g. 新疆维吾尔自治区")
    short: Name = Field(description="the short name where space is short (the province tiles), e.g. 新疆")
    en: Name = Field(description="the English name, e.g. Xinjiang Uygur Autonomous Region")


class ProvincesFile(_Strict):
    """data/provinces.yaml: China's provincial-level divisions, by code."""

    provinces: list[Province]


class SiteFile(_Strict):
    """data/site.yaml: the published site's address, the one place it is set. Downloads and each case page's
    引用本案例 block write absolute links with it; without it (null) they are site-relative."""

    site_url: SiteUrl | None = None
