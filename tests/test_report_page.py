"""`netlog report`: the same figures as `netlog summary -f json`, escaped, self-contained,
accessible, and written whole or not at all."""

import json
import os
import pty
import re
import subprocess
import sys
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import jinja2
import pytest
from tests.test_svg import contrast
from typer.testing import CliRunner, Result

from netlog.cli import app as full_app
from netlog.commands.common import new_app
from netlog.commands.report import register
from netlog.present.report_page import SECTIONS, environment, markdown_escape, period_slug

TEMPLATES = Path(__file__).parents[1] / "src" / "netlog" / "present" / "templates"
# The summary table's headings and the JSON keys they show, written out here on purpose.
HEADING_KEYS = {
    "Channel": "channel", "Hours": "hours", "Sessions": "sessions", "Items": "activities",
    "Reach": "reach", "Leads": "leads", "Wins": "wins", "Revenue": "revenue",
    "Per hour": "revenue_per_hour", "Hours/win": "hours_per_win", "Cost": "cost", "Net": "net",
    "ROI": "roi",
}  # fmt: skip
HOSTILE = "<script>alert(1)</script>"


def report_app():
    app = new_app()
    register(app)
    return app


def invoke(app, *args: str) -> Result:
    return CliRunner().invoke(app, list(args), prog_name="netlog")


def netlog(*args: str) -> Result:
    result = invoke(full_app, *args)
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return result


def run_report(*args: str) -> Result:
    return invoke(report_app(), "report", *args)


def report(*args: str) -> Result:
    result = run_report(*args)
    assert result.exit_code == 0, (result.stdout, result.stderr, result.exception)
    return result


@pytest.fixture
def demo_db(demo_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = demo_copy
    monkeypatch.setenv("NETLOG_DB", str(path))
    return path


class Tables(HTMLParser):
    """Every <table> of a page as {caption, id, head, body, foot} lists of cell texts;
    text inside an inline <svg> (its title) is not a cell's text."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.tables: list[dict] = []
        self.scopes: list[tuple[str, str | None]] = []
        self._part = "body"
        self._cell: list[str] | None = None
        self._caption: list[str] | None = None
        self._svg_depth = 0
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        attributes = dict(attrs)
        if tag == "svg":
            self._svg_depth += 1
        elif tag == "table":
            self.tables.append({"id": attributes.get("id"), "caption": "", "head": [], "body": [],
                                "foot": []})  # fmt: skip
        elif tag in ("thead", "tbody", "tfoot"):
            self._part = {"thead": "head", "tbody": "body", "tfoot": "foot"}[tag]
        elif tag == "tr":
            self.tables[-1][self._part].append([])
        elif tag in ("th", "td"):
            self._cell = []
            self.scopes.append((tag, attributes.get("scope")))
        elif tag == "caption":
            self._caption = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg":
            self._svg_depth -= 1
        elif tag in ("th", "td") and self._cell is not None:
            self.tables[-1][self._part][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "caption" and self._caption is not None:
            self.tables[-1]["caption"] = "".join(self._caption).strip()
            self._caption = None
        elif tag in ("thead", "tbody", "tfoot"):
            self._part = "body"

    def handle_data(self, data: str) -> None:
        if self._svg_depth:
            return
        if self._cell is not None:
            self._cell.append(data)
        elif self._caption is not None:
            self._caption.append(data)


def figure(text: str) -> Decimal | None:
    """A figure as the page shows it (£1,965.50, -100.00%, 18.37, –) as a plain number."""
    if text == "–":
        return None
    plain = text.replace("£", "").replace(",", "")
    return Decimal(plain[:-1]) / 100 if plain.endswith("%") else Decimal(plain)


def summary_json(*args: str) -> list[dict]:
    return json.loads(netlog("summary", "-f", "json", *args).stdout, parse_float=Decimal)


def table_rows(table: dict) -> list[dict[str, str]]:
    [headings] = table["head"]
    return [dict(zip(headings, row, strict=True)) for row in table["body"]]


ARGUMENTS = [
    (),
    ("--since", "2010-10", "--until", "2010-11"),
    ("--channel", "Email", "--channel", "Blog"),
    ("--rate", "45.50", "--since", "2010-12"),
]


@pytest.mark.usefixtures("demo_db")
@pytest.mark.parametrize("args", ARGUMENTS)
def test_every_figure_in_the_summary_table_is_the_one_summary_json_gives(args) -> None:
    page = report(*args).stdout
    [table] = [t for t in Tables(page).tables if t["id"] == "summary-table"]
    expected = summary_json(*args)
    shown = table_rows(table)
    assert set(HEADING_KEYS) == set(table["head"][0])  # every column, nothing left out
    assert len(shown) == len(expected)
    for row, machine in zip(shown, expected, strict=True):
        assert row["Channel"] == machine["channel"]
        for heading, key in HEADING_KEYS.items():
            if key != "channel":
                assert figure(row[heading]) == machine[key], (heading, row, machine)
    [total] = table["foot"]
    totals = dict(zip(table["head"][0], total, strict=True))
    for heading in ("Sessions", "Items", "Reach", "Leads", "Wins", "Revenue"):
        assert figure(totals[heading]) == sum(m[HEADING_KEYS[heading]] for m in expected)
    tolerance = Decimal("0.005") * len(expected)  # each row rounded on its own
    assert abs(figure(totals["Hours"]) - sum(m["hours"] for m in expected)) <= tolerance


@pytest.mark.usefixtures("demo_db")
def test_month_tables_hold_the_figures_of_summary_by_month() -> None:
    page = report("--since", "2010-09").stdout
    tables = {t["caption"]: t for t in Tables(page).tables if t["caption"]}
    expected = {
        (r["period"], r["channel"]): r for r in summary_json("--since", "2010-09", "--by", "month")
    }
    for caption, key in (("Hours by month", "hours"), ("Wins by month", "wins")):
        table = tables[caption]
        # September began before the demo's first entry (1 September, 09:00): partial
        assert table["head"][0][1:-1] == ["2010-09*", "2010-10", "2010-11", "2010-12"]
        months = [label.removesuffix("*") for label in table["head"][0][1:-1]]
        checked = 0
        for row in table["body"]:
            channel, cells = row[0], row[1:-1]
            for month, cell in zip(months, cells, strict=True):
                machine = expected.get((month, channel))
                assert figure(cell) == (machine[key] if machine else None), (
                    caption,
                    month,
                    channel,
                )
                checked += machine is not None
        assert checked == len(expected)


@pytest.mark.usefixtures("demo_db")
def test_chart_labels_are_figures_from_the_table() -> None:
    page = report().stdout
    [table] = [t for t in Tables(page).tables if t["id"] == "summary-table"]
    rows = table_rows(table)
    chart = page.split('class="chart bars"')[1].split("</svg>")[0]
    labels = re.findall(r">([^<]+)</text>", chart)
    assert {f"{r['Hours']} h" for r in rows} <= set(labels)
    assert {r["Revenue"] for r in rows} <= set(labels)
    assert "Hours and revenue per channel" in page


@pytest.mark.usefixtures("demo_db")
def test_the_page_is_self_contained_and_has_no_scripts() -> None:
    page = report().stdout
    lowered = page.lower()
    for needle in ("<script", "<link", "<img", "<iframe", " src=", "href=", "url(", "@import"):
        assert needle not in lowered, needle
    # The only URL is the SVG namespace (a name, never fetched).
    assert set(re.findall(r"https?://[^\s\"'<>]+", page)) == {"http://www.w3.org/2000/svg"}
    assert "default-src 'none'" in page  # and the browser is told to fetch nothing


@pytest.mark.usefixtures("demo_db")
def test_the_title_names_the_period_the_rate_and_when_it_was_made() -> None:
    page = report("--since", "2010-09", "--until", "2010-12").stdout
    title = page.split("</h1>")[0]
    assert "2010-09 to 2010-12" in title
    header = page.split("</header>")[0]
    assert "£30.00 an hour" in header
    assert "1 Sep 2010 – 24 Dec 2010" in header
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\dT\d\d:\d\d', header)
    assert "£45.00 an hour" in report("--rate", "45").stdout.split("</header>")[0]


@pytest.mark.usefixtures("demo_db")
@pytest.mark.parametrize("fmt", ["html", "md"])
def test_no_money_hides_every_amount(fmt: str) -> None:
    page = report("--no-money", "--format", fmt).stdout
    assert "£" not in page
    for amount in ("2,050.50", "2050", "30.00", "723.71", "551"):
        assert amount not in page
    assert "All 2 wins came from Email" in page
    assert "Hours and wins per channel" in page
    # The rest stays: hours, wins and ROI.
    assert "18.37" in page
    assert "-100.00%" in page


@pytest.mark.usefixtures("demo_db")
def test_markdown_holds_the_same_tables() -> None:
    text = report("--format", "md").stdout
    assert text.startswith("# netlog report: All time\n")
    assert "| Channel | Hours | Sessions | Items | Reach |" in text
    assert "| Email | 2.83 | 6 | 43 | 0 | 2 | 2 | £2,050.50 | £723.71 | 1.42 |" in text
    assert "| **Total** | **78.92** |" in text
    assert "## Month by month" in text
    assert "All 2 wins (£2,050.50) came from Email" in text
    for line in text.splitlines():
        if line.startswith("|"):
            assert line.endswith("|"), line


def test_a_hostile_channel_name_is_text_in_html_and_markdown(db_path: Path) -> None:
    netlog("add", HOSTILE, "2h", "posts")
    netlog("outcome", HOSTILE, "win", "--value", "100")
    netlog("add", "Email | *bold* [x](http://e.vil)", "30m")
    page = report().stdout
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    [table] = [t for t in Tables(page).tables if t["id"] == "summary-table"]
    assert HOSTILE in [row[0] for row in table["body"]]  # the parsed text is the name
    markdown = report("--format", "md").stdout
    assert "<script>" not in markdown
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in markdown
    assert "Email \\| \\*bold\\* \\[x\\](http://e.vil)" in markdown
    assert "[x](" not in markdown


@pytest.mark.parametrize(
    ("text", "escaped"),
    [("plain", "plain"), ("a|b", "a\\|b"), ("<b>", "&lt;b&gt;"), ("x_y*z", "x\\_y\\*z"),
     ("a\nb", "a b"), ("# h", "\\# h"), (3, 3)],
)  # fmt: skip
def test_markdown_escape(text, escaped) -> None:
    assert markdown_escape(text) == escaped


@pytest.mark.parametrize(
    ("since", "until", "slug"),
    [(None, None, "all-time"), ("2010-09", "2010-12", "2010-09-to-2010-12"),
     ("2010-09", None, "since-2010-09"), (None, "2010-12", "until-2010-12"),
     ("last week", None, "since-last-week"), ("../../etc", None, "since-etc")],
)  # fmt: skip
def test_period_slug(since, until, slug) -> None:
    assert period_slug(since, until) == slug


@pytest.mark.parametrize("name", ["report.html.j2", "report.md.j2"])
def test_each_section_is_one_block_in_each_template(name: str) -> None:
    blocks = environment("html").get_template(name).blocks
    assert list(blocks) == list(SECTIONS)  # same names, same (page) order


def test_html_autoescapes_and_markdown_escapes_through_finalize() -> None:
    html = environment("html").from_string("{{ x }}").render(x=HOSTILE)
    assert html == "&lt;script&gt;alert(1)&lt;/script&gt;"
    markdown = environment("md").from_string("{{ x }}").render(x="a|b")
    assert markdown == "a\\|b"
    with pytest.raises(jinja2.UndefinedError):
        environment("html").from_string("{{ missing }}").render()


def _css_colours() -> dict[str, str]:
    css = (TEMPLATES / "report.html.j2").read_text()
    return dict(re.findall(r"(--[\w-]+):\s*(#[0-9a-fA-F]{6})\s*;", css))


def test_every_text_colour_passes_wcag_aa_on_every_background() -> None:
    colours = _css_colours()
    texts = {k: v for k, v in colours.items() if k.startswith("--text")}
    backgrounds = {k: v for k, v in colours.items() if k.startswith("--bg")}
    assert len(texts) >= 3
    assert len(backgrounds) >= 3
    for text_name, text in texts.items():
        for bg_name, bg in backgrounds.items():
            assert contrast(text, bg) >= 4.5, (text_name, bg_name, contrast(text, bg))
    # No colour in the stylesheet outside the checked variables.
    css = (TEMPLATES / "report.html.j2").read_text()
    assert len(re.findall(r"#[0-9a-fA-F]{3,6}\b", css)) == len(colours)


def test_tables_have_header_scopes_and_the_page_prints_on_a4(demo_db: Path) -> None:
    page = report().stdout
    parsed = Tables(page)
    assert len(parsed.tables) == 4  # summary, funnel, hours and wins by month
    header_cells = [scope for tag, scope in parsed.scopes if tag == "th"]
    assert header_cells
    assert all(scope in ("col", "row") for scope in header_cells)
    assert "@page { size: A4" in page
    assert re.search(r"@media print \{[^@]*@page[^}]*\}.*break-inside: avoid", page, re.S)
    assert 'name="viewport"' in page
    assert ".table-scroll { max-width: 100%; overflow-x: auto; }" in page


# --- where the report goes ---------------------------------------------------------------


@pytest.mark.usefixtures("demo_db")
def test_output_file_is_written_whole_with_format_from_its_suffix(tmp_path: Path) -> None:
    result = report("--output", str(tmp_path / "out.md"))
    assert result.stdout == ""
    assert result.stderr == f"Wrote {tmp_path / 'out.md'}\n"
    assert (tmp_path / "out.md").read_text().startswith("# netlog report")
    report("-o", str(tmp_path / "out.md"), "--format", "html")  # replaces it
    assert (tmp_path / "out.md").read_text().startswith("<!DOCTYPE html>")
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []
    mode = (tmp_path / "out.md").stat().st_mode & 0o777
    assert mode == 0o666 & ~_umask()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@pytest.mark.usefixtures("demo_db")
@pytest.mark.parametrize("where", ["missing/dir/out.html", "."])
def test_a_write_error_is_one_line(tmp_path: Path, where: str) -> None:
    target = tmp_path / where
    result = run_report("-o", str(target))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: cannot write {target}: ")
    assert result.stderr.count("\n") == 1
    assert list(tmp_path.rglob("*.tmp")) == []


@pytest.mark.usefixtures("demo_db")
def test_open_writes_the_default_file_and_opens_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", opened.append)
    monkeypatch.chdir(tmp_path)
    result = report("--since", "2010-09", "--until", "2010-12", "--open")
    written = tmp_path / "netlog-report-2010-09-to-2010-12.html"
    assert result.stdout == ""
    assert written.read_text().startswith("<!DOCTYPE html>")
    assert opened == [written.as_uri()]


def test_on_a_terminal_the_report_goes_to_a_file_named_for_the_period(
    demo_db: Path, tmp_path: Path
) -> None:
    primary, secondary = pty.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "-c", "from netlog.commands.common import new_app\n"
             "from netlog.commands.report import register\n"
             "app = new_app(); register(app); app(prog_name='netlog')",
             "--db", str(demo_db), "report", "--since", "2010-10"],
            stdout=secondary, stderr=subprocess.PIPE, cwd=tmp_path, text=True, timeout=60,
        )  # fmt: skip
    finally:
        os.close(secondary)
        os.close(primary)
    assert done.returncode == 0, done.stderr
    assert done.stderr == "Wrote netlog-report-since-2010-10.html\n"
    assert (tmp_path / "netlog-report-since-2010-10.html").read_text().startswith("<!DOCTYPE")


def test_no_database_or_no_match_is_one_line(db_path: Path) -> None:
    result = run_report()
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: no entries yet in ")
    assert "netlog demo --save demo.db" in result.stderr
    assert run_report("--since", "not a date").exit_code == 2
    netlog("add", "linkedin", "1h", "--at", "2010-09-01")
    result = run_report("--since", "2011-01")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: no entries match, so there is nothing to report (netlog log lists them)\n"
    )
    assert run_report("--rate", "lots").exit_code == 2


def test_registering_twice_adds_one_command() -> None:
    app = new_app()
    register(app)
    register(app)
    assert [c.name for c in app.registered_commands].count("report") == 1
    assert "netlog report --since 2010-09" in invoke(app, "report", "--help").stdout


# --- the report costs `netlog add` nothing ------------------------------------------------

_LOADED = (
    "def loaded():\n"
    "    print(sorted(m for m in sys.modules if m.split('.')[0] in ('jinja2', 'markupsafe')"
    " or m in ('netlog.present.report_page', 'netlog.present.svg')))\n"
)


@pytest.mark.parametrize(
    "run_add",
    [
        # the console script's path, which ends with os._exit when nothing is registered
        # at exit: registering `loaded` makes it exit as Python does, after printing
        "import atexit\natexit.register(loaded)\n"
        "sys.argv = ['netlog', '--db', DB, 'add', 'linkedin', '45m']\n"
        "from netlog.main import main\n"
        "main()\n",
        # the full app, with the report command registered on it
        "from netlog.cli import app\nfrom netlog.commands.report import register\nregister(app)\n"
        "app(['--db', DB, 'add', 'linkedin', '45m'], standalone_mode=False)\nloaded()\n",
    ],
)
def test_add_never_imports_jinja2_or_the_report(tmp_path: Path, run_add: str) -> None:
    database = tmp_path / "add.db"
    code = f"import sys\nDB = {str(database)!r}\n{_LOADED}{run_add}"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "[]"
    assert database.exists()  # the entry was logged
