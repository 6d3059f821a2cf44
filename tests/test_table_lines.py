"""Tables rendered without Rich rendering each cell (netlog.present.table_lines) print the very
bytes stock Rich prints, with colour on a terminal and without it in a pipe, at every width; a
row the fast path cannot lay out (a cell that wraps or folds, markup, ...) is Rich's."""

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from netlog.present import render
from netlog.present.table_lines import table_segments

# Pieces of cell text: plain ones, wide (CJK, emoji) and combining characters among them, in
# every table; in one table in three also zero-width characters, markup, emoji codes, tabs and
# line breaks, and a long word that must fold, which the fast path leaves to Rich.
PLAIN = ["email", "LinkedIn", "1,204.5", "£4,786", "-£407", "–", "777%", "2016-01", " ", "a b"]
PLAIN += ["日本", "🎉", "e\u0301", "Ünïcödé"]
ODD = ["\u200b", "[bold]x[/bold]", ":smile:", "\t", "\n", "x" * 30, "  "]
styles = st.sampled_from(["", "", "cyan", "bold red", "on blue"])


def texts(pieces: list[str], most: int = 4) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(pieces), max_size=most).map("".join)


def cells(pieces: list[str], most: int) -> st.SearchStrategy[str | Text]:
    return st.one_of(
        texts(pieces, most),
        st.builds(
            Text,
            texts(pieces, most),
            style=styles,
            no_wrap=st.sampled_from([None, True]),
            overflow=st.sampled_from([None, "fold", "ellipsis"]),
        ),
    )


def columns(fitting: bool, pieces: list[str]) -> st.SearchStrategy[dict]:
    return st.fixed_dictionaries(
        {
            "header": st.sampled_from(["Period", "Channel", "ROI", "日本", "Hours/win"])
            | texts(pieces),
            "justify": st.sampled_from(["left", "right"] * 4 + ([] if fitting else ["center"])),
            "no_wrap": st.booleans(),
            "overflow": st.sampled_from(["fold", "ellipsis", "crop"]),
            "min_width": st.none() | st.integers(1, 12),
            "max_width": st.sampled_from([None] if fitting else [None, None, 4, 8, 24]),
            "style": st.sampled_from(["", "", "green"]),
            "header_style": st.sampled_from(["", "", "magenta"]),
        }
    )


@st.composite
def tables(draw: st.DrawFn, fitting: bool = False) -> dict:
    """A table's spec. `fitting`: one the fast path can lay out on a console of 120 columns
    or more (at most 5 columns of plain text, no cell wider than 16, a header row; an empty
    column, 0 wide inside its padding, goes to Rich)."""
    pieces = PLAIN + ODD if not fitting and draw(st.integers(0, 2)) == 0 else PLAIN
    most = 2 if fitting else 4  # pieces of text in a cell: at most 8 cells wide each
    chosen = draw(st.lists(columns(fitting, pieces), min_size=1, max_size=5 if fitting else 7))
    if fitting:
        chosen = [{**column, "header": column["header"] or "Total"} for column in chosen]
    rows = draw(
        st.lists(
            st.tuples(
                st.lists(cells(pieces, most), min_size=len(chosen), max_size=len(chosen)),
                st.sampled_from([None, None, "red", "bold", "on blue"]),
                st.booleans(),
            ),
            max_size=8,
        )
    )
    boxes = [box.SIMPLE_HEAD, box.HEAVY_HEAD] if fitting else [box.SIMPLE_HEAD] * 4 + [None]
    return {
        "columns": chosen,
        "rows": rows,
        "title": draw(st.none() | texts(pieces)),
        "box": draw(st.sampled_from([*boxes, box.ROUNDED])),
        "compact": draw(st.booleans()),
        "show_edge": draw(st.sampled_from([True, True, False])),
        "show_header": draw(st.sampled_from([True] if fitting else [True] * 7 + [False])),
    }


def made(cls: type, spec: dict) -> Table:
    table = cls(
        title=spec["title"],
        title_justify="left",
        box=spec["box"],
        pad_edge=not spec["compact"],
        collapse_padding=spec["compact"],
        show_edge=spec["show_edge"],
        show_header=spec["show_header"],
    )
    for column in spec["columns"]:
        table.add_column(**column)
    for values, style, end_section in spec["rows"]:
        # Text is mutable (Rich pads a copy): each table gets its own.
        table.add_row(
            *(v.copy() if isinstance(v, Text) else v for v in values),
            style=style,
            end_section=end_section,
        )
    return table


def console(width: int, colour: bool) -> Console:
    return Console(
        file=io.StringIO(),
        width=width,
        force_terminal=colour,
        color_system="truecolor" if colour else None,
        highlight=False,
        _environ={},
    )


def printed(table: Table, width: int, colour: bool) -> str:
    out = console(width, colour)
    out.print(table)
    return out.file.getvalue()  # type: ignore[attr-defined]


# A few dozen examples in the inner loop (`pytest -m "not slow"`), hundreds in CI.
EXAMPLES = [pytest.param(400, marks=pytest.mark.slow, id="thorough"), pytest.param(40, id="quick")]
NOT_TOO_SLOW = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}


@pytest.mark.parametrize("examples", EXAMPLES)
def test_the_same_bytes_as_stock_rich(examples: int) -> None:
    @settings(max_examples=examples, **NOT_TOO_SLOW)
    @given(spec=tables(), width=st.integers(40, 200), colour=st.booleans())
    def check(spec: dict, width: int, colour: bool) -> None:
        fast = printed(made(render._widest_cells_table(), spec), width, colour)
        assert fast == printed(made(Table, spec), width, colour)

    check()


@pytest.mark.parametrize("examples", EXAMPLES)
def test_the_fast_path_lays_out_plain_tables_as_stock_rich(examples: int) -> None:
    @settings(max_examples=examples * 3 // 4, **NOT_TOO_SLOW)
    @given(spec=tables(fitting=True), width=st.integers(120, 200), colour=st.booleans())
    def check(spec: dict, width: int, colour: bool) -> None:
        fast = made(render._widest_cells_table(), spec)
        assert laid_out(fast, width, colour) is not None
        assert printed(fast, width, colour) == printed(made(Table, spec), width, colour)

    check()


def laid_out(table: Table, width: int, colour: bool) -> list | None:
    """table_segments of `table` at the widths Rich gives its columns at `width`."""
    out = console(width, colour)
    options = out.options.update_width(width - table._extra_width)
    return table_segments(table, out, options, table._calculate_column_widths(out, options))


def summary_like(channel: str) -> dict:
    money = {"header": "Revenue", "justify": "right", "no_wrap": True}
    return {
        "columns": [
            {"header": "Period", "no_wrap": True},
            {"header": "Channel", "min_width": 8, "max_width": 24, "overflow": "fold"},
            money,
            {**money, "header": "ROI", "header_style": "magenta"},
        ],
        "rows": [
            ([f"2016-{month:02}", Text(channel), f"£{month},204", f"{month}%"], style, last)
            for month, style, last in ((1, "red", False), (2, None, False), (3, None, True))
        ]
        + [(["", Text("Total"), "£6,612", "6%"], "bold", False)],
        "title": "netlog summary by month",
        "box": box.SIMPLE_HEAD,
        "compact": False,
        "show_edge": True,
        "show_header": True,
    }


@pytest.mark.parametrize("colour", [False, True])
@pytest.mark.parametrize("width", [50, 80, 160])
def test_a_plain_table_is_laid_out_without_rich_and_reads_the_same(width, colour):
    spec = summary_like("LinkedIn 日本 🎉")
    assert laid_out(made(render._widest_cells_table(), spec), width, colour) is not None
    fast = printed(made(render._widest_cells_table(), spec), width, colour)
    assert fast == printed(made(Table, spec), width, colour)
    assert "LinkedIn 日本 🎉" in fast


@pytest.mark.parametrize(
    ("channel", "lines"),
    [
        ("a-channel-name-longer-than-its-column", ["a-channel-name-longer-th", "an-its-column"]),
        ("two\nlines", ["two", "lines"]),
    ],
)
def test_a_row_with_a_cell_that_must_fold_or_break_is_rendered_by_rich(channel, lines):
    spec = summary_like(channel)
    assert laid_out(made(render._widest_cells_table(), spec), 160, True) is not None
    fast = printed(made(render._widest_cells_table(), spec), 160, True)
    assert fast == printed(made(Table, spec), 160, True)
    assert all(line in fast for line in lines)


@pytest.fixture
def demo_db(ok, demo_copy):
    path = demo_copy
    ok("--db", str(path), "add", "日本のチャンネル", "45m", "test", "--at", "2010-11-02T10:00")
    return path


@pytest.mark.parametrize(
    "command",
    [
        ("summary", "--by", "month"),
        ("summary", "--by", "month", "--wide"),
        ("summary", "--by", "month", "--columns", "hours,revenue,roi"),
        ("trend", "--by", "month"),
        ("funnel",),
        ("log",),
        ("channels",),
    ],
)
@pytest.mark.parametrize("terminal", [False, True])
@pytest.mark.parametrize("columns", ["80", "120", "160"])
def test_the_reports_read_as_stock_rich_prints_them(
    ok, demo_db, monkeypatch, command, terminal, columns
):
    monkeypatch.setenv("COLUMNS", columns)
    if terminal:  # Rich then writes colour and styles, as on a terminal
        monkeypatch.setenv("FORCE_COLOR", "1")
        monkeypatch.setenv("COLORTERM", "truecolor")
    fast = ok("--db", str(demo_db), *command)
    # The same command with every table rendered by Rich itself, cell by cell.
    monkeypatch.setattr(render._widest_cells_table(), "_render", Table._render)
    stock = ok("--db", str(demo_db), *command)
    assert (fast.stdout, fast.stderr) == (stock.stdout, stock.stderr)
    assert ("\x1b[" in fast.stdout) is terminal
