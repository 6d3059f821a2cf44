"""The demo report in a real browser (headless Chromium): it draws, it holds the figures,
it fits a 390 px phone without sideways scrolling, and opening it fetches nothing."""

import json
import os
import re
import shutil
import struct
import subprocess
import zlib
from html import escape, unescape
from pathlib import Path
from statistics import pvariance

import pytest
from typer.testing import CliRunner

from netlog.cli import app as full_app
from netlog.commands.common import new_app
from netlog.commands.report import register

CHROMIUM = next(
    (found for name in ("chromium", "chromium-browser") if (found := shutil.which(name))), None
)
pytestmark = [
    pytest.mark.slow,
    # .ci/run sets NETLOG_REQUIRE_BROWSER, so that CI fails rather than skips without Chromium.
    pytest.mark.skipif(
        CHROMIUM is None and not os.environ.get("NETLOG_REQUIRE_BROWSER"),
        reason="no chromium binary on PATH (Debian: apt-get install chromium)",
    ),
]
# Chromium's own background traffic (time sync, account checks), not the page's.
BROWSER_HOSTS = re.compile(r"(^|\.)(google\.com|googleapis\.com|gstatic\.com|gvt1\.com)$")


def chromium(tmp_path: Path, page: Path, *args: str, width: int = 1280, height: int = 2000):
    """Run headless Chromium on `page` with a fresh profile; returns the finished process."""
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    command = [
        CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--hide-scrollbars", f"--user-data-dir={profile}",
        f"--window-size={width},{height}", *args, page.as_uri(),
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done


@pytest.fixture(scope="module")
def demo_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("browser")
    runner = CliRunner()
    database = folder / "demo.db"
    assert runner.invoke(full_app, ["demo", "--save", str(database)]).exit_code == 0
    app = new_app()
    register(app)
    page = folder / "report.html"
    result = runner.invoke(app, ["--db", str(database), "report", "-o", str(page)])
    assert result.exit_code == 0, result.stderr
    return page


@pytest.fixture(scope="module")
def spend_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo with spend too, so that the summary has every column (Spend, Cost, Net)."""
    folder = tmp_path_factory.mktemp("browser-spend")
    runner = CliRunner()
    database = folder / "demo.db"
    assert runner.invoke(full_app, ["demo", "--save", str(database)]).exit_code == 0
    spent = ["--db", str(database), "spend", "peopleperhour", "12345.67", "credits", "--at",
             "2010-10-01 10:00"]  # fmt: skip
    assert runner.invoke(full_app, spent).exit_code == 0
    page = folder / "report.html"
    result = runner.invoke(full_app, ["--db", str(database), "report", "-o", str(page)])
    assert result.exit_code == 0, result.stderr
    return page


def png_pixels(data: bytes, rows: int) -> tuple[int, int, list[int]]:
    """Width, height and the grey levels of the first `rows` rows of an 8-bit RGB/RGBA PNG,
    decoded with zlib and struct alone."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, compressed, header = 8, bytearray(), None
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            compressed += body
        position += 12 + length
    width, height, depth, colour, _, _, interlace = header
    assert (depth, interlace) == (8, 0), header
    assert colour in (2, 6), header
    channels = 3 if colour == 2 else 4
    stride = width * channels
    raw = zlib.decompress(bytes(compressed))
    previous = bytearray(stride)
    grey: list[int] = []
    for row in range(min(rows, height)):
        start = row * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up, corner = previous[i], previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                guess = left + up - corner
                pa, pb, pc = abs(guess - left), abs(guess - up), abs(guess - corner)
                nearest = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                line[i] = (line[i] + nearest) & 0xFF
        grey.extend(sum(line[i : i + 3]) // 3 for i in range(0, stride, channels))
        previous = line
    return width, height, grey


def test_png_decoder_reads_a_known_image() -> None:
    # 2×2 RGB: white, black / red, grey; rows filtered None and Up.
    rows = b"\x00" + bytes([255, 255, 255, 0, 0, 0]) + b"\x02" + bytes([0, 1, 1, 128, 128, 128])
    image = b"\x89PNG\r\n\x1a\n"
    for kind, body in (
        (b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)),
        (b"IDAT", zlib.compress(rows)),
        (b"IEND", b""),
    ):
        image += struct.pack(">I", len(body)) + kind + body + b"\0\0\0\0"
    assert png_pixels(image, 2) == (2, 2, [255, 0, 85, 128])


def test_the_demo_report_draws_something(demo_page: Path, tmp_path: Path) -> None:
    shot = tmp_path / "report.png"
    chromium(tmp_path, demo_page, f"--screenshot={shot}")
    width, height, grey = png_pixels(shot.read_bytes(), rows=500)
    assert (width, height) == (1280, 2000)
    assert pvariance(grey) > 500  # a blank page is 0; text and bars on white are far above
    assert sum(1 for g in grey if g < 100) > 2000  # dark pixels: text


def test_the_rendered_page_holds_channels_and_totals(demo_page: Path, tmp_path: Path) -> None:
    dom = chromium(tmp_path, demo_page, "--dump-dom").stdout
    for text in ("Email", "LinkedIn", "PeoplePerHour", "OfficeCavalry", "78.92", "£2,050.50",
                 "-£317.00", "All 2 wins (£2,050.50) came from Email"):  # fmt: skip
        assert text in dom, text
    assert dom.count("<svg") >= 17  # the bars and a line per channel and total, twice


def _measured(tmp_path: Path, demo_page: Path, width: int) -> dict[str, int]:
    """Widths measured in the browser, with the page in a frame `width` px wide: headless
    Chromium keeps its window at least 500 px wide, and the page itself has no script (its
    policy would block one), so a wrapper page holds the frame and writes the widths."""
    page = demo_page.read_text()
    assert "<script" not in page
    wrapper = (
        f'<!DOCTYPE html><html><body style="margin:0"><iframe id="frame" srcdoc="{escape(page)}"'
        f' style="border:0;width:{width}px;height:900px"></iframe><script>'
        "addEventListener('load', () => { const view = frame.contentWindow,"
        " root = view.document.documentElement,"
        " box = view.document.getElementById('summary-table').parentElement,"
        " name = view.document.querySelector('#summary-table tbody th');"
        " const before = name.getBoundingClientRect().left - box.getBoundingClientRect().left;"
        " box.scrollLeft = box.scrollWidth;"
        " const after = name.getBoundingClientRect().left - box.getBoundingClientRect().left;"
        " document.body.dataset.widths = JSON.stringify("
        "{scroll: root.scrollWidth, client: root.clientWidth, inner: view.innerWidth,"
        " body: view.document.body.scrollWidth, box_scroll: box.scrollWidth,"
        " box_client: box.clientWidth, table: box.firstElementChild.offsetWidth,"
        " name_before: Math.round(before),"
        " name_after: Math.round(after)}); });</script></body></html>"
    )
    copy = tmp_path / "measured.html"
    copy.write_text(wrapper)
    dom = chromium(tmp_path, copy, "--dump-dom", "--virtual-time-budget=5000", height=1000).stdout
    found = re.search(r'data-widths="([^"]+)"', dom)
    assert found, dom[-500:]
    return json.loads(unescape(found.group(1)))


@pytest.mark.parametrize("width", [390, 1280])
def test_the_page_never_scrolls_sideways(demo_page: Path, tmp_path: Path, width: int) -> None:
    widths = _measured(tmp_path, demo_page, width)
    assert widths["inner"] == width  # the test really ran at that width
    assert widths["scroll"] <= widths["client"], widths
    assert widths["body"] <= widths["client"], widths


@pytest.mark.parametrize("page", ["demo_page", "spend_page"])
def test_the_summary_table_fits_1280_px_without_a_scrollbar(
    page: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    widths = _measured(tmp_path, request.getfixturevalue(page), 1280)
    assert widths["box_scroll"] <= widths["box_client"], str(widths)
    assert widths["table"] <= widths["box_client"], widths


def test_at_390_px_the_summary_scrolls_in_its_box_with_the_channel_kept_in_view(
    demo_page: Path, tmp_path: Path
) -> None:
    widths = _measured(tmp_path, demo_page, 390)
    assert widths["box_scroll"] > widths["box_client"], widths  # it does scroll, inside
    assert widths["scroll"] <= widths["client"], widths  # and the page itself does not
    # Scrolled to its right end, the channel column is still where it was: sticky.
    assert widths["name_after"] == widths["name_before"], widths


def _requested_hosts(tmp_path: Path, page: Path) -> set[str]:
    log = tmp_path / f"{page.stem}.netlog.json"
    chromium(tmp_path, page, f"--log-net-log={log}", "--dump-dom")
    urls = re.findall(r'"url":"([a-z]+://[^"/]*)', log.read_text())
    hosts = {url.split("://", 1)[1].split(":")[0] for url in urls if not url.startswith("file")}
    return {host for host in hosts if host and not BROWSER_HOSTS.search(host)}


def test_opening_the_page_requests_nothing(demo_page: Path, tmp_path: Path) -> None:
    assert _requested_hosts(tmp_path, demo_page) == set()
    # The check can see a request: the same page with an image from the network, unblocked.
    leaky = tmp_path / "leaky.html"
    page = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", demo_page.read_text())
    leaky.write_text(page.replace("</body>", '<img src="http://example.invalid/x.png"></body>'))
    assert _requested_hosts(tmp_path, leaky) == {"example.invalid"}
