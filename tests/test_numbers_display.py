"""How qualified values are shown, and projections kept out of the bar charts."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from casebook.charts import bar_chart
from casebook.display import QUALIFIER_EN, QUALIFIER_ZH, value_text
from casebook.models import Qualifier
from casebook.numbers import QUALIFIER_LABELS, QUALIFIERS


def test_every_qualifier_has_labels():
    assert set(QUALIFIERS) == set(Qualifier.__args__) == set(QUALIFIER_LABELS) == set(QUALIFIER_ZH)
    assert set(QUALIFIER_EN) == set(QUALIFIERS)


@pytest.mark.parametrize(
    "value, unit, qualifier, shown",
    [
        (2600, "家", "more_than", "2600余"),
        (87, "%", "more_than", "超过87%"),
        (300000, "元", "more_than", "30万余"),
        (87, "%", "at_least", "87%以上"),
        (1000000, "人", "less_than", "不足100万"),
        (43000000, "元", "projected", "预计4300万"),
        (95, "%", "projected", "预计95%"),
    ],
)
def test_value_text(value, unit, qualifier, shown):
    assert value_text(value, unit, qualifier) == shown


def _record(value, qualifier, unit="元"):
    return SimpleNamespace(
        data=SimpleNamespace(
            value=value,
            unit=unit,
            qualifier=qualifier,
            derived=None,
            period=SimpleNamespace(kind="not_stated", year=None, end=None, wording=None),
        )
    )


def test_projections_are_not_drawn():
    rows = [("甲市", _record(2_430_000, "exact")), ("乙州", _record(43_000_000, "projected"))]
    chart = bar_chart("财政投入（元）", rows, "元", "svg-x")
    assert chart.count('class="cb-bar"') == 1 and "甲市" in chart
    drawn, apart = chart.split('<div class="cb-apart">')
    # the projection is listed below the chart, in words, and not drawn
    assert "乙州" not in drawn and "乙州：预计4300万元（时间未注明）——预计值，不是已实现的数" in apart
    # the projection does not set the scale: the axis ends at 300万, just above the one drawn value
    assert 'style="width: 81.00%"' in drawn and ">300万</span>" in drawn


def test_a_chart_of_projections_only_is_not_drawn():
    assert bar_chart("t", [("乙州", _record(43_000_000, "projected"))], "元", "svg-x") == ""
