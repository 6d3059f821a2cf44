"""The report's SVG charts: accessible, escaped, deterministic, and drawn to scale."""

import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netlog.present import svg

NS = {"svg": "http://www.w3.org/2000/svg"}
HOSTILE = "<script>alert(\"x\")</script> & 'quotes'"


def _charts(label: str) -> list[str]:
    """One chart of every kind, each with `label` in its text."""
    return [
        svg.grouped_bars(
            [label, "Email"], [svg.Series(label, [3.0, 1.5], ["3 h", "1.5 h"])], title=label
        ),
        svg.grouped_bars(
            [label, "Email"],
            [svg.Series("Hours", [3, 1], ["3 h", "1 h"]), svg.Series(label, [0, 2], [label, "2"])],
            title=label,
        ),
        svg.sparkline([1, 4, 2], title=label),
        svg.sparkline([0, 1, 1, 2], title=label, step=True),
        svg.dot_whisker(0.3, 0.1, 0.5, scale_max=1, title=label),
    ]


@pytest.mark.parametrize("chart", _charts("Hours per channel"))
def test_every_chart_is_an_accessible_image(chart: str) -> None:
    root = ET.fromstring(chart)  # well-formed XML, or this raises
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("role") == "img"
    assert root.get("aria-label") == "Hours per channel"
    assert root.find("svg:title", NS).text == "Hours per channel"
    assert "<script" not in chart
    assert "href" not in chart  # nothing to fetch


@pytest.mark.parametrize("chart", _charts(HOSTILE))
def test_user_text_is_escaped_in_text_and_attributes(chart: str) -> None:
    assert "<script>" not in chart
    root = ET.fromstring(chart)
    assert root.get("aria-label") == HOSTILE  # the parser undoes the escaping: same text back
    assert root.find("svg:title", NS).text == HOSTILE
    assert [element.tag.split("}")[1] for element in root.iter()].count("script") == 0


@pytest.mark.parametrize(
    ("value", "text"),
    [(0, "0"), (3, "3"), (2.5, "2.5"), (1 / 3, "0.33"), (-0.001, "0"), (12.345, "12.35"),
     (-4.2, "-4.2"), (100.0, "100")],
)  # fmt: skip
def test_numbers_are_printed_plainly(value: float, text: str) -> None:
    assert svg.number(value) == text


@given(st.lists(st.floats(min_value=0, max_value=1e6), min_size=1, max_size=12))
def test_the_same_data_gives_the_same_bytes_and_stays_in_the_box(values: list[float]) -> None:
    chart = svg.sparkline(values, title="t")
    assert chart == svg.sparkline(list(values), title="t")
    box = [float(n) for n in ET.fromstring(chart).get("viewBox").split()]
    numbers = [
        float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", chart.split('d="')[1].split('"')[0])
    ]
    assert all(0 <= n <= max(box) for n in numbers)


def _bar_widths(chart: str) -> list[float]:
    """Widths of the bars (the legend swatches are 12 wide and come first)."""
    root = ET.fromstring(chart)
    rects = [r for r in root.iter("{http://www.w3.org/2000/svg}rect") if r.get("height") != "12"]
    return [float(r.get("width")) for r in rects]


def test_each_series_is_scaled_to_its_own_largest_value() -> None:
    chart = svg.grouped_bars(
        ["a", "b"],
        [svg.Series("Hours", [10, 5], ["10", "5"]), svg.Series("Money", [0, 2000], ["0", "2000"])],
        title="t",
    )
    # Bars come per category, series within: a-hours, a-money, b-hours, b-money.
    a_hours, a_money, b_hours, b_money = _bar_widths(chart)
    assert a_hours == b_money  # both the largest of their series: full width
    assert b_hours == a_hours / 2
    assert a_money == 0


def test_bars_with_nothing_to_show_have_no_length() -> None:
    chart = svg.grouped_bars(["a", "b"], [svg.Series("Wins", [0, 0], ["0", "0"])], title="t")
    assert _bar_widths(chart) == [0, 0]


def test_step_line_moves_in_steps() -> None:
    chart = svg.sparkline([0, 2, 1], title="t", step=True)
    path = ET.fromstring(chart).find("svg:path", NS).get("d")
    assert re.fullmatch(r"M[\d.]+ [\d.]+( H[\d.]+ V[\d.]+)+", path)
    assert "L" not in path


def test_whisker_spans_the_interval_and_the_dot_marks_the_value() -> None:
    root = ET.fromstring(svg.dot_whisker(0.25, 0.1, 0.5, scale_max=1.0, title="Win rate"))
    axis, whisker, *_caps = root.findall("svg:line", NS)
    dot = root.find("svg:circle", NS)
    left, right, x = float(whisker.get("x1")), float(whisker.get("x2")), float(dot.get("cx"))
    assert left < x < right
    # positions are linear in the value, on the axis from 0 to scale_max
    start, end = float(axis.get("x1")), float(axis.get("x2"))
    assert (x - start) / (end - start) == pytest.approx(0.25, abs=0.01)
    assert (left - start) / (end - start) == pytest.approx(0.1, abs=0.01)
    assert (right - start) / (end - start) == pytest.approx(0.5, abs=0.01)


def test_whisker_refuses_a_value_outside_its_interval() -> None:
    with pytest.raises(ValueError, match="outside its interval"):
        svg.dot_whisker(0.9, 0.1, 0.5, scale_max=1.0, title="t")


def _luminance(colour: str) -> float:
    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(colour[i : i + 2]) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: str, other: str) -> float:
    """The WCAG 2 contrast ratio of two #rrggbb colours."""
    light, dark = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_contrast_formula_matches_known_pairs() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # the classic near-miss


@pytest.mark.parametrize("colour", [svg.INK, svg.MUTED])
def test_chart_text_passes_wcag_aa_on_white(colour: str) -> None:
    assert contrast(colour, "#ffffff") >= 4.5


@pytest.mark.parametrize("colour", svg.SERIES_COLOURS)
def test_chart_marks_pass_the_graphics_contrast_on_white(colour: str) -> None:
    assert contrast(colour, "#ffffff") >= 3  # WCAG 1.4.11, non-text contrast
