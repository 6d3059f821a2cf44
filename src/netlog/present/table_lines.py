"""A table's lines without Rich rendering each cell, for the common table: every cell one line
of plain text that fits its column.

Rich renders each cell through Padding, render_lines, Text.wrap and justify, and Segment
shapes: at a thousand rows (`summary --by month` over ten years) that was most of the report's
time. A cell of plain single-line text that fits its column comes out of all that as its left
padding, the text justified to the column's width, and its right padding, each a Segment in
the styles Rich gives them. `table_segments` builds exactly those Segments (with Rich's own
padding, box characters, Style sums and cell_len, so the rules stay Rich's). A row with a
cell it cannot lay out (one that must wrap, fold or be cut, markup, a renderable that is not
text) is rendered by Rich as Table._render renders a row; a table with box or layout options
netlog does not use, it leaves to stock Rich (None). tests/test_table_lines.py compares the
two across generated tables, byte for byte.
"""

from collections.abc import Sequence
from dataclasses import replace
from typing import Any, cast

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions
from rich.padding import Padding
from rich.segment import Segment
from rich.style import Style
from rich.table import Column, Table
from rich.text import Text

_JUSTIFIED = ("left", "right")
# A cell as table_segments lays it out: left padding, text, right padding, and their styles.
_Shaped = tuple[str, str, str, Any, Any]


def table_segments(
    table: Table, console: Console, options: ConsoleOptions, widths: Sequence[int]
) -> list[Segment] | None:
    """What Table._render(console, options, widths) yields, or None where that is not sure.
    Without a colour system (piped), where styles print as nothing, each line is one Segment."""
    if (
        table.box is None
        or not table.show_header
        or table.show_footer
        or table.show_lines
        or table.leading
        or any(column.highlight for column in table.columns)
    ):
        return None
    get_style = console.get_style
    shaper = _CellShaper(console, options)
    columns = table.columns
    # The header row's style, then each row's (Table.get_row_style)
    row_styles = [Style.null()] + [
        get_style(table.get_row_style(console, index)) for index in range(len(table.rows))
    ]
    by_column: list[list[_Shaped | None]] = []
    for index, (column, width) in enumerate(zip(columns, widths, strict=True)):
        header, *body = _padded(table, console, index, column)
        head = shaper.column(
            [header.renderable.renderable], header, header, width, column, row_styles[:1]
        )
        cells = (
            shaper.column(column._cells, body[0], body[-1], width, column, row_styles[1:])
            if body
            else []
        )
        by_column.append(head + cells)
    rows = list(zip(*by_column, strict=True))
    # Rich's cells, for the rows with a cell the fast path cannot lay out
    rich_cells: list[tuple[Any, ...]] = []
    if any(None in line for line in rows):
        rich_cells = list(
            zip(
                *(table._get_cells(console, i, column) for i, column in enumerate(columns)),
                strict=True,
            )
        )

    border_style = get_style(table.style or "") + get_style(table.border_style or "")
    box = table.box.substitute(
        options, safe=table.safe_box if table.safe_box is not None else console.safe_box
    )
    edges = [
        (Segment(left, border_style), Segment(right, border_style), Segment(vertical, border_style))
        for left, right, vertical in (
            (box.head_left, box.head_right, box.head_vertical),
            (box.mid_left, box.mid_right, box.mid_vertical),
            (box.foot_left, box.foot_right, box.foot_vertical),
        )
    ]
    plain = console.color_system is None
    show_edge = table.show_edge
    new_line = Segment.line()
    out: list[Segment] = []
    add, extend = out.append, out.extend
    if show_edge:
        extend((Segment(box.get_top(widths), border_style), new_line))
    last_index = len(rows) - 1
    for index, line in enumerate(rows):
        left, right, divider = edges[0 if index == 0 else (2 if index == last_index else 1)]
        if not divider.text.strip():  # a whitespace divider takes the row's background
            row_style = row_styles[index]
            divider = Segment(divider.text, row_style.background_style + divider.style)
        if None in line:
            rendered = _rich_row(
                console, options, widths, columns, rich_cells[index], row_styles[index], index == 0
            )
            for line_number in range(len(rendered[0])):
                if show_edge:
                    add(left)
                for position, cell_lines in enumerate(rendered):
                    if position:
                        add(divider)
                    extend(cell_lines[line_number])
                if show_edge:
                    add(right)
                add(new_line)
        elif plain:
            shaped = cast("tuple[_Shaped, ...]", line)
            joined = divider.text.join(before + text + after for before, text, after, *_ in shaped)
            add(Segment(f"{left.text}{joined}{right.text}" if show_edge else joined))
            add(new_line)
        else:
            shaped = cast("tuple[_Shaped, ...]", line)
            if show_edge:
                add(left)
            for position, (before, text, after, pad_style, text_style) in enumerate(shaped):
                if position:
                    add(divider)
                if before:
                    add(Segment(before, pad_style))
                add(Segment(text, text_style))
                if after:
                    add(Segment(after, pad_style))
            if show_edge:
                add(right)
            add(new_line)
        if index == 0:
            extend((Segment(box.get_row(widths, "head", edge=show_edge), border_style), new_line))
        elif table.rows[index - 1].end_section and index != last_index:
            extend((Segment(box.get_row(widths, "row", edge=show_edge), border_style), new_line))
    if show_edge:
        extend((Segment(box.get_bottom(widths), border_style), new_line))
    return out


def _rich_row(
    console: Console,
    options: ConsoleOptions,
    widths: Sequence[int],
    columns: Sequence[Column],
    row_cells: Sequence[Any],
    row_style: Style,
    header_row: bool,
) -> list[list[list[Segment]]]:
    """Each cell's lines in a row, as Table._render renders them with Rich (a row with a cell
    that wraps, folds or is cut, markup, ...): every cell as tall as the tallest."""
    get_style = console.get_style
    rendered = [
        console.render_lines(
            cell.renderable,
            options.update(
                width=width,
                justify=column.justify,
                no_wrap=column.no_wrap,
                overflow=column.overflow,
                height=None,
                highlight=column.highlight,
            ),
            style=get_style(cell.style) + row_style,
        )
        for width, cell, column in zip(widths, row_cells, columns, strict=True)
    ]
    row_height = max(len(lines) for lines in rendered)
    height = max(1, row_height)
    shaped = []
    for width, cell, lines in zip(widths, row_cells, rendered, strict=True):
        vertical = "bottom" if header_row else cell.vertical
        align = {"top": Segment.align_top, "middle": Segment.align_middle}.get(
            vertical, Segment.align_bottom
        )
        aligned = align(lines, width, row_height, get_style(cell.style) + row_style)
        shaped.append(Segment.set_shape(aligned, width, height))
    return shaped


def _padded(table: Table, console: Console, index: int, column: Column) -> list[Any]:
    """Rich's cells of the column (Table._get_cells: the padding and style of each), header
    first. The padding depends only on whether a row is the first or the last, so a column of
    more than two cells gives those of its header, its first cell (every cell but the last
    has the same) and its last."""
    cells = column._cells
    probe = replace(column, _cells=[cells[0], cells[-1]]) if len(cells) > 2 else column
    return list(table._get_cells(console, index, probe))


class _CellShaper:
    """Cells' padding and text, as Rich renders plain single-line text that fits."""

    def __init__(self, console: Console, options: ConsoleOptions) -> None:
        self.console = console
        # As Console.render_str decides for a str cell
        self.markup = options.markup or (options.markup is None and console._markup)
        self.emoji = console._emoji
        self.styles: dict[tuple[int, ...], tuple[tuple[Any, Any] | None, tuple[Any, ...]]] = {}

    def column(
        self,
        contents: Sequence[Any],
        cell: Any,
        last_cell: Any,
        width: int,
        column: Column,
        row_styles: Sequence[Style],
    ) -> list[_Shaped | None]:
        """The shaped cells of a column (`contents`, one per row), all padded as `cell` is
        but the last, padded as `last_cell` is (Table._get_cells); None for each that Rich
        must render."""
        layout = self._layout(cell.renderable, width)
        last_layout = self._layout(last_cell.renderable, width)
        if layout is None or last_layout is None:
            return [None] * len(contents)
        shape = self._cell
        last = len(contents) - 1
        shaped = [
            shape(content, layout, cell.style, row_style, column)
            for content, row_style in zip(contents[:last], row_styles, strict=False)
        ]
        if contents:
            shaped.append(
                shape(contents[last], last_layout, last_cell.style, row_styles[last], column)
            )
        return shaped

    def _cell(
        self,
        content: Any,
        layout: tuple[str, str, int, Any],
        cell_style: Any,
        row_style: Style,
        column: Column,
    ) -> _Shaped | None:
        """One cell's left padding, text and right padding, and their styles, or None."""
        text_style: str | Style
        if type(content) is str:
            if (self.markup and "[" in content) or (self.emoji and ":" in content):
                return None
            plain, text_style, justify, overflow = content, "", None, None
        elif type(content) is Text:
            if content._spans or content.end != "\n":
                return None
            plain, text_style = content.plain, content.style
            justify, overflow = content.justify, content.overflow
        else:
            return None
        justify = justify or column.justify
        if justify not in _JUSTIFIED or (overflow or column.overflow) == "ignore":
            return None
        if not plain.isprintable():  # no line breaks, tabs, control or zero-width characters
            return None
        if justify == "right":
            plain = plain.rstrip()
        left, right, room, padding_style = layout
        length = cell_len(plain)
        if length > room:
            return None
        both = self._styles(cell_style, row_style, text_style, padding_style)
        if both is None:
            return None
        spaces = " " * (room - length)
        return left, plain + spaces if justify == "left" else spaces + plain, right, *both

    @staticmethod
    def _layout(padding: Padding, width: int) -> tuple[str, str, int, Any] | None:
        """A Padding's left and right, the room between them, and its style; None for one
        with top or bottom lines, or no room (Table makes neither for netlog's tables)."""
        room = width - padding.left - padding.right
        if padding.top or padding.bottom or not padding.expand or room < 1:
            return None
        return " " * padding.left, " " * padding.right, room, padding.style

    def _styles(
        self, cell_style: Any, row_style: Style, text_style: Any, padding_style: Any
    ) -> tuple[Any, Any] | None:
        """The styles of the padding and of the text, as Table._render, Padding and
        Text.render sum them (a style-less Text's Segment has none); None for a styled
        Padding, which Table does not make."""
        # By identity: hashing Styles for every cell costs more than the rest of it. The
        # entry holds the styles it is for, so that no other object can take their ids.
        key = (id(cell_style), id(row_style), id(text_style), id(padding_style))
        if key not in self.styles:
            get_style = self.console.get_style
            pad = get_style(padding_style)
            text = get_style(text_style, default=Style.null()) if text_style else None
            base = get_style(cell_style) + row_style
            summed = None if pad else ((base + pad, base + text) if base else (pad, text))
            self.styles[key] = (summed, (cell_style, row_style, text_style, padding_style))
        return self.styles[key][0]
