"""Citation verification: a quote is in the source once, and states the value."""

from __future__ import annotations

import ast
import hashlib
import operator
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from .normalize import normalize
from .numbers import QUALIFIER_LABELS, Mention, as_decimal, format_value, read_numbers
from .problems import Problem
from .sources import SourceText

if TYPE_CHECKING:
    from .library import ValueRecord
    from .models import IndicatorValue

# Where to report a problem, as (line, column); called only when there is one (with no arguments: the
# ``...`` admits the lambdas that bind a loop variable as a default argument).
Position = Callable[..., tuple[int, int]]


@dataclass
class Citation:
    """Where a quote sits in its source."""

    quote: str
    normalized: str
    start: int  # raw offsets of the passage in source.txt
    end: int
    paragraph: int  # ¶ number of the paragraph the passage starts in
    anchor: str  # id of the highlighted passage on the source page
    paragraphs: list[int] = field(default_factory=list)


def anchor_for(normalized_quote: str) -> str:
    """A stable anchor id for a passage: it changes only if the quote does."""
    return "q-" + hashlib.sha1(normalized_quote.encode("utf-8")).hexdigest()[:10]


def locate_quote(
    source: SourceText,
    quote: str,
    path: Path,
    pos: Position,
    what: str,
    problems: list[Problem],
    norm: str | None = None,
) -> Citation | None:
    """Find ``quote`` exactly once in ``source``'s body, or report why not.

    ``pos()`` gives the quote's (line, column); it is only called when there is a problem to report.
    ``norm`` is the quote already normalised, if the caller has it."""
    if norm is None:
        norm = normalize(quote)
    if not norm:
        problems.append(
            Problem(
                path, *pos(), f"{what}: the quote is empty", "paste the passage of the source that states the value"
            )
        )
        return None
    count, spans = source.find(quote, norm)
    if count == 0:
        closest = source.closest(quote)
        hint = "copy the passage verbatim from the source"
        if closest is not None:
            para, text = closest
            hint = f"closest passage is ¶{para.number} (line {para.line}): “{_clip(text)}”"
        problems.append(Problem(path, *pos(), f"{what}: quote not found in the source", hint))
        return None
    if count > 1:
        where = ", ".join(f"¶{source.paragraph_at(a).number}" for a, _ in spans)
        problems.append(
            Problem(
                path,
                *pos(),
                f"{what}: quote occurs {count} times in the source ({where})",
                "lengthen the quote until it occurs only once",
            )
        )
        return None
    start, end = spans[0]
    paras = sorted({p.number for p, _, _ in source.segments(start, end)})
    return Citation(quote, norm, start, end, source.paragraph_at(start).number, anchor_for(norm), paras)


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe(mention: Mention) -> str:
    suffix = "%" if mention.percent else ""
    q = mention.word or QUALIFIER_LABELS[mention.qualifier]
    return f"{format_value(mention.value)}{suffix}" + (f" ({mention.qualifier} {q})" if q else "")


def check_value(
    value: IndicatorValue, normalized_quote: str, path: Path, pos: Position, problems: list[Problem]
) -> bool:
    """The quote states ``value.value`` with ``value.qualifier``; else report."""
    want = as_decimal(value.value)
    percent = value.unit.strip() == "%"
    mentions = read_numbers(normalized_quote)
    same = [m for m in mentions if m.value == want and m.percent == percent]
    if not same:
        stated = ", ".join(describe(m) for m in mentions) or "no number"
        problems.append(
            Problem(
                path,
                *pos(),
                f"indicator '{value.indicator}': the quote does not state {format_value(want)}"
                f"{'%' if percent else ''}; it states {stated}",
                "correct the value (or the quote) so that the quote states the value",
            )
        )
        return False
    if not any(m.qualifier == value.qualifier for m in same):
        m = same[0]
        word = m.word or QUALIFIER_LABELS[m.qualifier] or "no qualifier"
        problems.append(
            Problem(
                path,
                *pos(),
                f"indicator '{value.indicator}': qualifier '{value.qualifier}' does not match the "
                f"quote, which says {format_value(m.value)} with {word}",
                f"set `qualifier: {m.qualifier}`",
            )
        )
        return False
    return True


_OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}


def evaluate(formula: str, names: dict[str, Decimal]) -> Decimal:
    """Evaluate +, -, *, / over numbers and names; nothing else is allowed."""

    def ev(node: ast.AST) -> Decimal:
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
            return _OPS[type(node.op)](ev(node.left), ev(node.right))
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            return Decimal(str(node.value))
        if isinstance(node, ast.Name):
            if node.id not in names:
                raise KeyError(node.id)
            return names[node.id]
        raise ValueError("only numbers, input names, + - * / and parentheses are allowed")

    return ev(ast.parse(formula, mode="eval"))


def check_derived(
    value: IndicatorValue, stated: dict[str, ValueRecord], path: Path, where: Position, problems: list[Problem]
) -> list[ValueRecord]:
    """A derived value: its inputs are stated values of the case and the formula gives it.

    ``where()`` gives the line and column to report; it is called only when there is a problem.
    """
    derived = value.derived
    assert derived is not None, "check_derived is called for derived values only"
    inputs: list[ValueRecord] = []
    names: dict[str, Decimal] = {}
    for name, key in derived.inputs.items():
        record = stated.get(key)
        if record is None or record.citation is None:
            problems.append(
                Problem(
                    path,
                    *where(),
                    f"indicator '{value.indicator}': derived input '{name}' refers to '{key}', "
                    f"which is not a cited (stated) value of this case",
                    "cite the input value with its quote first",
                )
            )
            return []
        inputs.append(record)
        names[name] = as_decimal(record.data.value)
    try:
        result = evaluate(derived.formula, names)
    except KeyError as exc:
        problems.append(
            Problem(
                path,
                *where(),
                f"indicator '{value.indicator}': formula uses unknown name {exc}",
                "use only the names listed under `inputs:`",
            )
        )
        return []
    except (ValueError, SyntaxError, ArithmeticError, RecursionError, MemoryError) as exc:
        problems.append(
            Problem(
                path,
                *where(),
                f"indicator '{value.indicator}': formula cannot be computed ({exc})",
                "write arithmetic such as 'large / share * 100'",
            )
        )
        return []
    try:
        rounded = result.quantize(Decimal(1).scaleb(-derived.round), rounding=ROUND_HALF_UP)
    except ArithmeticError:
        problems.append(
            Problem(
                path,
                *where(),
                f"indicator '{value.indicator}': formula gives {result}, which is not a number that can be a value",
                "check the formula and its inputs",
            )
        )
        return []
    if rounded != as_decimal(value.value):
        problems.append(
            Problem(
                path,
                *where(),
                f"indicator '{value.indicator}': formula gives {format_value(rounded)}, "
                f"not {format_value(value.value)}",
                f"set `value: {rounded}`",
            )
        )
        return []
    return inputs
