"""The schema of the library's data files, as pydantic models.

Unknown keys are forbidden everywhere, and types are strict: ``value: "12"``
is an error, not the number 12. The JSON Schema editors use for
autocompletion is generated from these models (``casebook schema``).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Slug = Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]*$", description="lower-case latin letters, digits and '-'")]
Key = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$", description="lower-case latin letters, digits and '_'")]
Lines = Annotated[str, Field(pattern=r"^\d+(-\d+)?$", description="a line number of source.txt, or a range '23-29'")]
Qualifier = Literal["exact", "more_than", "about", "at_least", "less_than", "at_most"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class Furniture(_Strict):
    """Lines of the source that are not article text: they are shown, marked, and never cited."""

    lines: Lines
    kind: Literal["page_furniture", "caption", "boilerplate"] = Field(
        description="page_furniture: newspaper page/navigation lines; caption: a photo caption; "
                    "boilerplate: web-page text such as editor credits or QR-code prompts")
    note: str | None = None


class Defect(_Strict):
    """A known defect of the archived text (see PRIMER.md)."""

    kind: Literal["caption_splice", "broken_paragraph", "broken_heading", "garbled", "missing_text",
                  "pinyin_artifacts", "split_value", "other"]
    lines: Lines | None = None
    note: str


class Source(_Strict):
    """The archived source: its file, checksum and what the text itself says about it."""

    file: str = Field("source.txt", description="file name inside the case folder")
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")] = Field(
        description="SHA-256 of the file; `casebook check` prints the right value if it differs")
    title: str | None = Field(description="verbatim from the text, or null if the text has none")
    author: str | None = Field(description="person or body named as author in the text, or null")
    author_role: str | None = Field(None, description="the author's post as the text states it")
    outlet: str | None = Field(description="where the text says it appeared, or null")
    published: Annotated[str, Field(pattern=r"^\d{4}(-\d{2}(-\d{2}( \d{2}:\d{2})?)?)?$")] | None = Field(
        description="publication date as the text states it, 'YYYY-MM-DD', in quotes; or null")
    edition: str | None = Field(None, description="page or section, e.g. 第30版, if stated")
    script: Literal["zh-Hans", "zh-Hant"]
    notes: list[str] = Field(default_factory=list,
                             description="what the text does not say (required when a field above is null)")
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

    formula: str = Field(description="arithmetic over the input names, e.g. 'large / share * 100'")
    inputs: dict[str, Key] = Field(description="name used in the formula -> indicator key of a stated value of this case")
    round: int = Field(0, description="decimal places the result is rounded to")


class IndicatorValue(_Strict):
    """One cited value: an indicator, its value, and the verbatim passage that states it."""

    indicator: Key = Field(description="key from data/indicators.yaml")
    value: int | float
    unit: str = Field(description="unit as written, e.g. 个, 名, 元, %, 平方米")
    qualifier: Qualifier = Field(description="exact; more_than (余/多); about (近/约); at_least (以上/超过); "
                                             "less_than (不足); at_most (以下)")
    year: int | None = Field(None, description="year the value refers to, if the text states it")
    period: str | None = Field(None, description="period as the text states it, e.g. 今年以来, 2018年以来, 累计")
    scope: str = Field(description="what the value covers, e.g. 全市, 全州, 延吉市")
    quote: str | None = Field(None, description="verbatim passage of the source that states the value (unique in it)")
    derived: Derived | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _shape(self):
        if self.year is None and not self.period:
            raise ValueError("give `year:` or `period:` (e.g. period: 未注明年份) so the value can be compared")
        if self.derived is None and self.quote is None:
            raise ValueError("a stated value needs `quote:` (the verbatim passage); a computed one needs `derived:`")
        if self.derived is not None and self.quote is not None:
            raise ValueError("a derived value cites its inputs, not a quote: remove `quote:` or `derived:`")
        return self


class MechanismTag(_Strict):
    """A mechanism the case reports, in the city's own words."""

    mechanism: Key = Field(description="id from data/mechanisms.yaml")
    local_name: str = Field(description="the name the city uses, e.g. 三长一员一民警")
    summary: str = Field(description="one sentence in your own words")
    quotes: list[str] = Field(min_length=1, description="verbatim passages of the source")


class Uncoded(_Strict):
    """A number in the source that is deliberately not coded as a value, and why."""

    quote: str = Field(description="verbatim passage containing the number")
    reason: str = Field(description="why it is not an indicator value, e.g. 年份, 项目名称, 文件编号")


class Case(_Strict):
    """One city's case: metadata, cited values, and mechanisms."""

    id: Slug = Field(description="equals the folder name")
    city: str
    city_en: str
    province: str
    province_en: str
    level: Literal["直辖市", "副省级市", "地级市", "自治州", "地区", "盟", "县级市", "市辖区"]
    level_en: str
    parent: str | None = Field(None, description="the city a county-level city belongs to, e.g. 南阳市")
    source: Source
    indicators: list[IndicatorValue] = Field(min_length=1)
    mechanisms: list[MechanismTag] = Field(default_factory=list)
    uncoded: list[Uncoded] = Field(default_factory=list,
                                   description="numbers of the source that are not values, each with a reason")


class IndicatorDef(_Strict):
    """An indicator, defined once for all cases."""

    key: Key
    name: str
    name_en: str
    unit: str
    kind: Literal["count", "ratio", "money", "area", "percent", "age", "times", "duration"]
    group: Key
    definition: str
    comparability: str = Field(description="what limits comparison across cities")


class Group(_Strict):
    id: Key
    name: str
    name_en: str


class MechanismDef(_Strict):
    """A mechanism, defined once for all cases."""

    id: Key
    name: str
    name_en: str
    group: Key
    definition: str
    related_indicators: list[Key] = Field(default_factory=list)
    related_mechanisms: list[Key] = Field(default_factory=list)


class MechanismsFile(_Strict):
    groups: list[Group] = Field(min_length=1)
    mechanisms: list[MechanismDef] = Field(min_length=1)


class GlossaryTerm(_Strict):
    """A term of the glossary. Which cases it occurs in is computed, never typed."""

    term: str = Field(description="as a reader looks it up, in Simplified characters")
    pinyin: str | None = Field(None, description="override only where pypinyin is wrong: tone-marked syllables "
                                                  "separated by spaces, one per Han character")
    pinyin_note: str | None = Field(None, description="why the override is needed")
    en: str = Field(description="English gloss")
    definition: str = Field(description="in your own words, Chinese")
    mechanisms: list[Key] = Field(default_factory=list, description="ids from data/mechanisms.yaml")
    aliases: list[str] = Field(default_factory=list, description="other written forms found in the sources")


class GlossaryFile(_Strict):
    terms: list[GlossaryTerm] = Field(min_length=1)


class IndicatorsFile(_Strict):
    groups: list[Group] = Field(min_length=1)
    indicators: list[IndicatorDef] = Field(min_length=1)
