"""`netlog review` shown: a table for people, a Markdown note for a partner, JSON rows. Takes
the plain Review (netlog.reports.review); every figure through netlog.present.figures."""

import json
from decimal import Decimal
from typing import IO, Any

from netlog.present import figures
from netlog.present.figures import Kind
from netlog.reports.review import FIGURES, Review, ReviewRow
from netlog.reports.verdicts import RECENT_WEEKS

_KINDS = {
    "hours": Kind.HOURS,
    "replies": Kind.COUNT,
    "leads": Kind.COUNT,
    "wins": Kind.COUNT,
    "revenue": Kind.MONEY,
    "spend": Kind.MONEY,
}
_HEADERS = {
    "hours": "Hours",
    "replies": "Replies",
    "leads": "Leads",
    "wins": "Wins",
    "revenue": "Revenue",
    "spend": "Spend",
}


def title(review: Review) -> str:
    noun = review.by.value
    return (
        f"Review of the {noun} {review.first} to {review.last} "
        f"against {review.previous_first} to {review.previous_last}"
    )


def _cell(review: Review, row: ReviewRow, name: str) -> str:
    """`3.5 (2.0, +1.5)`: this period's figure, then the previous one and the change."""
    kind = _KINDS[name]
    now = figures.text(kind, getattr(row.now, name), review.currency)
    before = figures.text(kind, getattr(row.before, name), review.currency)
    change = row.change(name)
    sign = "+" if change > 0 else ""
    changed = figures.text(kind, change, review.currency)
    return f"{now} ({before}, {sign}{changed})" if change else f"{now} ({before}, =)"


def _verdict(row: ReviewRow) -> str:
    return row.verdict.verdict.value if row.verdict is not None else figures.NONE


def _budget_lines(review: Review) -> list[str]:
    return [
        f"{b.channel}: {b.used} of {b.limit}" + (" (over)" if b.over else "")
        for b in review.budgets
    ]


def write_json(review: Review, out: IO[str]) -> None:
    def value(name: str, figure: Any) -> object:
        shown = figures.value(_KINDS[name], figure, review.currency)
        return float(shown) if isinstance(shown, Decimal) else shown

    channels = []
    for row in review.rows:
        item: dict[str, object] = {"channel": row.channel}
        for name in FIGURES:
            item[name] = value(name, getattr(row.now, name))
            item[f"previous_{name}"] = value(name, getattr(row.before, name))
        item["verdict"] = row.verdict.verdict.value if row.verdict is not None else None
        channels.append(item)
    data = {
        "period": {"start": str(review.first), "end": str(review.last)},
        "previous": {"start": str(review.previous_first), "end": str(review.previous_last)},
        "credit": review.credit,
        "channels": channels,
        "suggestions": review.suggestions,
    }
    out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def markdown(review: Review) -> str:
    """A note to paste for a partner: the title, a Markdown table, the evidence, budgets and
    the suggestions."""
    lines = [f"# {title(review)}", ""]
    lines.append(
        "Each figure: this " + review.by.value + " (the one before, the change). "
        f"Outcomes counted where they were logged (credit: {review.credit})."
    )
    lines.append("")
    lines.append("| Channel | " + " | ".join(_HEADERS[n] for n in FIGURES) + " | Verdict |")
    lines.append("| :--- | " + " | ".join("---:" for _ in FIGURES) + " | :--- |")
    for row in review.rows:
        cells = [_cell(review, row, name) for name in FIGURES]
        name = row.channel.replace("|", "\\|")
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {_verdict(row)} |")
    sentences = review.sentences()
    if sentences:
        lines += ["", f"## Verdicts, on the {RECENT_WEEKS} weeks up to {review.last}", ""]
        lines += [f"- {line}" for line in sentences]
    budgets = _budget_lines(review)
    if budgets:
        lines += ["", "## Budgets", ""]
        lines += [f"- {line}" for line in budgets]
    if review.suggestions:
        lines += ["", "## Suggestions", ""]
        lines += [f"{n}. {line}" for n, line in enumerate(review.suggestions, 1)]
    return "\n".join(lines) + "\n"


def table(review: Review) -> None:
    from netlog.present.render import _console, _show, _table, _text

    console = _console()
    grid = _table(title(review), compact=False)
    grid.add_column("Channel", no_wrap=True)
    for name in FIGURES:
        grid.add_column(_HEADERS[name], justify="right", no_wrap=True)
    grid.add_column("Verdict", no_wrap=True)
    for row in review.rows:
        grid.add_row(_text(row.channel), *(_cell(review, row, n) for n in FIGURES), _verdict(row))
    notes = ["Each figure: this " + review.by.value + " (the one before, the change)."]
    sentences = review.sentences()
    if sentences:
        notes.append(f"Verdicts, on the {RECENT_WEEKS} weeks up to {review.last}:")
        notes += [f"  {line}" for line in sentences]
    budgets = _budget_lines(review)
    if budgets:
        notes.append("Budgets: " + "; ".join(budgets) + ".")
    if review.suggestions:
        notes.append("Suggestions:")
        notes += [f"  {n}. {line}" for n, line in enumerate(review.suggestions, 1)]
    _show(console, grid, *(_text(line) for line in notes))
