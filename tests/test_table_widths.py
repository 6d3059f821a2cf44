"""Tables measure a column by its widest cells only (netlog.present.render): the same page as
Rich's own Table, which measures every cell, at every width."""

import pytest
from rich.console import Console
from rich.table import Table
from rich.text import Text

from netlog.present import render

ROWS = [
    ("2016-01", Text("email"), "18.2", "£4,786", "777%"),
    ("2016-02", Text("a channel with a long name"), "1,204.5", "-£407", "–"),
    ("2016-03", Text("日本のチャンネル"), "0.0", "£0", "-100%"),
    ("2016-04", Text("two\nlines here"), "", "[bold]x[/bold]", ":smile: 3"),
    ("2016-05", Text(""), "9.6", "£12,345,678", "12%"),
]


def table(cls: type, compact: bool, left_out: int | None = None) -> Table:
    made = cls(pad_edge=not compact, collapse_padding=compact)
    columns = [
        ("Period", {"no_wrap": True}),
        ("Channel", {"min_width": 7, "max_width": 24, "overflow": "fold"}),
        *(
            (header, {"justify": "right", "no_wrap": True})
            for header in ("Hours", "Revenue", "ROI")
        ),
    ]
    kept = [index for index in range(len(columns)) if index != left_out]
    for index in kept:
        made.add_column(columns[index][0], **columns[index][1])
    for row in ROWS:
        made.add_row(*(row[index] for index in kept))
    return made


def printed(made: Table, width: int) -> tuple[str, int]:
    console = Console(width=width, record=True, highlight=False, color_system=None)
    with console.capture() as captured:
        console.print(made)
    return captured.get(), int(made.__rich_measure__(console, console.options).maximum)


@pytest.mark.parametrize("compact", [False, True])
@pytest.mark.parametrize("width", [12, 30, 45, 60, 80, 120])
def test_the_same_page_as_rich_measuring_every_cell(width: int, compact: bool) -> None:
    widest = render._widest_cells_table()
    assert printed(table(widest, compact), width) == printed(table(Table, compact), width)


def test_only_the_widest_plain_cells_are_measured() -> None:
    cells = [Text("ab cd"), "1,204.5", Text("abcdefgh i"), "[b]x[/b]", ":smile:", Text("")]
    kept = render._widest_cells(cells)
    # The longest line and the longest word (one cell here), and what has markup or emoji.
    assert sorted(map(str, kept)) == sorted(["abcdefgh i", "[b]x[/b]", ":smile:"])


@pytest.mark.parametrize("left_out", range(5))
@pytest.mark.parametrize("width", [12, 30, 45, 80])
def test_a_table_without_a_column_prints_as_one_built_without_it(width: int, left_out: int) -> None:
    whole = table(render._widest_cells_table(), compact=True)
    printed(whole, width)  # measured first, as _fitted measures it before leaving one out
    assert printed(whole.without(left_out), width) == printed(table(Table, True, left_out), width)
