"""The shared SVG bar chart: bars scale on one axis, unknown values draw nothing."""

from __future__ import annotations

from django.template.loader import render_to_string

from apps.core.charts import LABEL_WIDTH, VALUE_ROOM, ChartRow, bar_chart


def test_largest_value_or_reference_takes_the_whole_room() -> None:
    chart = bar_chart("T", [ChartRow("a", 10.0, "10"), ChartRow("b", 5.0, "5", reference=20.0, reference_text="20")])
    room = 100 - LABEL_WIDTH - VALUE_ROOM
    assert chart.bars[0].width == room / 2
    assert chart.bars[1].width == room / 4
    assert chart.bars[1].reference_width == room
    assert chart.has_reference
    assert chart.height == 2 * 34 + 4


def test_suppressed_value_draws_no_bar_and_all_zero_does_not_divide_by_zero() -> None:
    chart = bar_chart("T", [ChartRow("a", None, "moins de 11"), ChartRow("b", 0.0, "0")])
    assert [bar.width for bar in chart.bars] == [0.0, 0.0]
    assert not chart.has_reference


def test_component_hides_svg_and_repeats_values_as_text() -> None:
    chart = bar_chart("T", [ChartRow("Nord", 4.5, "4,5 %", alert=True)], caption="Légende")
    html = render_to_string("components/bar_chart.html", {"chart": chart})
    assert 'aria-hidden="true"' in html
    assert f'width="{100 - LABEL_WIDTH - VALUE_ROOM}.0"' in html  # the only bar takes the whole room
    assert "Nord : 4,5 %" in html
    assert "chart-bar is-alert" in html
    assert "<figcaption>Légende</figcaption>" in html
    assert "style=" not in html
