"""Small inline SVG charts for the report: plain strings, no JavaScript, no fonts to fetch.

Every chart is an accessible image (role="img", an aria-label and a <title>) whose text is
escaped here, so a template may insert it as markup. Coordinates are printed with at most
two decimals, so the same data always gives the same bytes.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

# Colours checked for contrast by tests/test_svg.py: text at least 4.5:1 on white, marks 3:1.
INK = "#1a1a1a"
MUTED = "#595959"
SERIES_COLOURS = ("#1f5fa8", "#b34700", "#2e7d32")
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"


def number(value: float) -> str:
    """`12.5`, `3`, `0.33`: two decimals at most, no trailing zeros, never `-0`."""
    from netlog.present.figures import half_up

    text = f"{half_up(value, 2):f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _open(width: float, height: float, label: str, css_class: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{css_class}" role="img" '
        f'viewBox="0 0 {number(width)} {number(height)}" '
        f'width="{number(width)}" height="{number(height)}" '
        f'aria-label="{escape(label)}" font-family="{escape(FONT)}">'
        f"<title>{escape(label)}</title>"
    )


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class Series:
    """One measure across the categories; `labels` are the values as people read them."""

    name: str
    values: Sequence[float]
    labels: Sequence[str]


def grouped_bars(categories: Sequence[str], series: Sequence[Series], *, title: str) -> str:
    """Horizontal bars, one group per category and one bar per series. Each series has its
    own scale (its largest value fills the width), since hours and money share no unit; the
    value is written at the end of every bar."""
    label_width, value_width, plot_width = 130.0, 90.0, 280.0
    bar, gap, group_gap, legend = 14.0, 3.0, 12.0, 26.0
    group_height = len(series) * bar + (len(series) - 1) * gap
    width = label_width + plot_width + value_width
    height = legend + len(categories) * (group_height + group_gap)
    parts = [_open(width, height, title, "chart bars")]
    x = 0.0
    for index, one in enumerate(series):
        colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
        parts.append(
            f'<rect x="{number(x)}" y="4" width="12" height="12" fill="{colour}"/>'
            f'<text x="{number(x + 17)}" y="14.5" font-size="13" fill="{INK}">'
            f"{escape(one.name)}</text>"
        )
        x += 17 + 8 * len(one.name) + 22
    maxima = [max((v for v in one.values), default=0) for one in series]
    for row, category in enumerate(categories):
        top = legend + row * (group_height + group_gap)
        parts.append(
            f'<text x="{number(label_width - 8)}" y="{number(top + group_height / 2 + 4.5)}" '
            f'font-size="13" text-anchor="end" fill="{INK}">'
            f"{escape(_shorten(category, 16))}</text>"
        )
        for index, one in enumerate(series):
            value, most = one.values[row], maxima[index]
            length = plot_width * value / most if most > 0 and value > 0 else 0.0
            y = top + index * (bar + gap)
            colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
            parts.append(
                f'<rect x="{number(label_width)}" y="{number(y)}" width="{number(length)}" '
                f'height="{number(bar)}" fill="{colour}"/>'
                f'<text x="{number(label_width + length + 5)}" y="{number(y + bar - 3)}" '
                f'font-size="12" fill="{INK}">{escape(one.labels[row])}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def _line_points(values: Sequence[float], width: float, height: float, pad: float):
    most = max(values, default=0)
    step = (width - 2 * pad) / (len(values) - 1) if len(values) > 1 else 0.0
    for position, value in enumerate(values):
        share = value / most if most > 0 else 0.0
        yield pad + position * step, height - pad - share * (height - 2 * pad)


def sparkline(values: Sequence[float], *, title: str, step: bool = False) -> str:
    """A small line over time (a step line with `step`, for counts such as wins), scaled
    from zero to its largest value, with a dot on the latest value."""
    width, height, pad = 120.0, 28.0, 3.0
    parts = [_open(width, height, title, "chart spark")]
    points = list(_line_points(values, width, height, pad))
    if points:
        (x0, y0), *rest = points
        path = [f"M{number(x0)} {number(y0)}"]
        for x, y in rest:
            path.append(f"H{number(x)} V{number(y)}" if step else f"L{number(x)} {number(y)}")
        colour = SERIES_COLOURS[1] if step else SERIES_COLOURS[0]
        last_x, last_y = points[-1]
        parts.append(
            f'<path d="{" ".join(path)}" fill="none" stroke="{colour}" stroke-width="2"/>'
            f'<circle cx="{number(last_x)}" cy="{number(last_y)}" r="2.5" fill="{colour}"/>'
        )
    parts.append("</svg>")
    return "".join(parts)


def dot_whisker(value: float, low: float, high: float, *, scale_max: float, title: str) -> str:
    """A dot at `value` with a whisker from `low` to `high` (an interval), on a scale from 0
    to `scale_max`: the mark for a rate with its uncertainty."""
    if not low <= value <= high:
        raise ValueError(f"the value {value} is outside its interval [{low}, {high}]")
    width, height, pad = 240.0, 24.0, 6.0

    def x_of(v: float) -> float:
        share = min(max(v / scale_max, 0.0), 1.0) if scale_max > 0 else 0.0
        return pad + share * (width - 2 * pad)

    middle = height / 2
    left, right, dot = x_of(low), x_of(high), x_of(value)
    colour = SERIES_COLOURS[0]
    return (
        _open(width, height, title, "chart whisker")
        + f'<line x1="{number(pad)}" y1="{number(height - 2)}" x2="{number(width - pad)}" '
        f'y2="{number(height - 2)}" stroke="{MUTED}" stroke-width="1"/>'
        f'<line x1="{number(left)}" y1="{number(middle)}" x2="{number(right)}" '
        f'y2="{number(middle)}" stroke="{colour}" stroke-width="2"/>'
        f'<line x1="{number(left)}" y1="{number(middle - 5)}" x2="{number(left)}" '
        f'y2="{number(middle + 5)}" stroke="{colour}" stroke-width="2"/>'
        f'<line x1="{number(right)}" y1="{number(middle - 5)}" x2="{number(right)}" '
        f'y2="{number(middle + 5)}" stroke="{colour}" stroke-width="2"/>'
        f'<circle cx="{number(dot)}" cy="{number(middle)}" r="4.5" fill="{colour}"/>'
        "</svg>"
    )
