"""The shared SVG bar chart: bars scale on one axis, unknown values draw nothing."""

from __future__ import annotations

from django.template.loader import render_to_string

from apps.core.charts import LABEL_WIDTH, VALUE_ROOM, ChartRow, Segment, StackedRow, bar_chart, stacked_bar_chart


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


def test_stacked_bars_share_one_axis_and_never_overflow() -> None:
    chart = stacked_bar_chart(
        "Présences",
        [
            StackedRow("A", [Segment("Présent·es", 6, "ok"), Segment("Absent·es", 2, "alert")], "6 / 8"),
            StackedRow("B", [Segment("Présent·es", 4, "ok"), Segment("Absent·es", -3, "alert")], "4", target=(10, 5)),
        ],
    )
    # The longest thing (the top of B's target, 10) takes the whole axis.
    assert [(p.x, p.width, p.tone) for p in chart.bars[0].pieces] == [(0.0, 60.0, "ok"), (60.0, 20.0, "alert")]
    assert [(p.x, p.width) for p in chart.bars[1].pieces] == [(0.0, 40.0)]  # negative draws nothing
    assert (chart.bars[1].target_x, chart.bars[1].target_width) == (50.0, 50.0)
    assert [(e.name, e.tone) for e in chart.legend] == [("Présent·es", "ok"), ("Absent·es", "alert")]


def test_progress_against_a_fixed_scale_is_clipped_at_the_end() -> None:
    chart = stacked_bar_chart("Enveloppe", [StackedRow("Nord", [Segment("Dépensé", 150)], "150 €")], scale=100)
    assert [(p.x, p.width) for p in chart.bars[0].pieces] == [(0.0, 100.0)]
    empty = stacked_bar_chart("Vide", [StackedRow("x", [Segment("a", 0)], "0")])
    assert empty.bars[0].pieces == [] and empty.bars[0].target_x is None


def test_stacked_component_is_decorative_and_keeps_text_as_html() -> None:
    chart = stacked_bar_chart(
        "T", [StackedRow("Nord", [Segment("Oui", 1, "ok"), Segment("Non", 1, "alert")], "1 sur 2")], caption="Cap"
    )
    html = render_to_string("components/stacked_bar_chart.html", {"chart": chart})
    assert '<div aria-hidden="true">' in html
    assert 'class="tone-ok" x="0.0" width="50.0"' in html
    assert 'class="tone-alert" x="50.0" width="50.0"' in html
    assert "Nord" in html and "1 sur 2" in html and "<figcaption>Cap</figcaption>" in html
    assert "style=" not in html
