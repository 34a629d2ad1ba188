"""The report of ``fixtures/`` in a real browser: headless Chromium (Debian's ``chromium``, driven by
Playwright from PyPI; Playwright's own browser download is not used) opens the page from disk,
logs no console error, sorts a table when a column head is clicked, hides rows when a filter is
typed, and pages a long table. A screenshot is saved in the test's temporary folder.

The tests skip, saying why, when Chromium or Playwright is missing; ``.ci/run`` installs both."""
from __future__ import annotations

import os
import shutil

import pytest
from click.testing import CliRunner

from macrolint.cli import main
from tests.conftest import FIXTURES

#: The browser: ``MACROLINT_CHROMIUM``, else Debian's ``chromium`` on the PATH.
CHROMIUM = next((p for p in (os.environ.get("MACROLINT_CHROMIUM"), shutil.which("chromium"),
                             shutil.which("chromium-browser")) if p and os.path.isfile(p)), None)
#: CI sets this: there a browser test that cannot run fails instead of skipping.
REQUIRED = os.environ.get("MACROLINT_BROWSER_TESTS") == "required"

pytestmark = pytest.mark.slow


def _missing(reason: str):
    if REQUIRED:
        pytest.fail(f"{reason} (MACROLINT_BROWSER_TESTS=required)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        _missing("no chromium on PATH: `apt-get install chromium` (Debian) runs the browser tests; .ci/run installs it")
    try:
        from playwright import sync_api
    except ImportError:
        _missing("playwright is not installed: pip install '.[test]'")
    with sync_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def report_page(tmp_path_factory):
    out = tmp_path_factory.mktemp("browser") / "report.html"
    result = CliRunner().invoke(main, ["report", str(FIXTURES), "-o", str(out)])
    assert result.exit_code in (0, 1) and out.is_file(), result.output
    return out


@pytest.fixture
def page(browser, report_page, tmp_path):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=True)
    opened = context.new_page()
    problems: list[str] = []
    opened.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None)
    opened.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    opened.on("requestfailed", lambda r: problems.append(f"request failed: {r.url}"))
    requests: list[str] = []
    opened.on("request", lambda r: requests.append(r.url))
    opened.goto(report_page.as_uri())
    opened.wait_for_load_state("load")
    yield opened, problems, requests
    opened.screenshot(path=str(tmp_path / "report.png"), full_page=False)
    assert (tmp_path / "report.png").stat().st_size > 10_000
    context.close()


def _column(page, table: str, column: int) -> list[str]:
    return page.eval_on_selector_all(f"#{table} tbody tr:not([hidden])",
                                     f"rows => rows.map(r => r.cells[{column}].textContent.trim())")


def test_the_page_loads_without_console_errors_or_requests(page):
    opened, problems, requests = page
    assert opened.title().startswith("Library report")
    assert problems == []
    assert [u for u in requests if not u.startswith("file:")] == []  # nothing fetched from a network


def test_clicking_a_column_head_sorts_the_rows(page):
    opened, problems, _ = page
    before = _column(opened, "phrases-table", 0)
    opened.click("#phrases-table thead th:nth-child(1) button")
    after = _column(opened, "phrases-table", 0)
    assert after != before
    assert after == sorted(after, key=lambda s: s.casefold().strip("“”\"'")) or \
        opened.get_attribute("#phrases-table thead th:nth-child(1)", "aria-sort") == "ascending"
    opened.click("#fix-first-table thead th:nth-child(4) button")  # score: highest first
    scores = [float(s.replace(",", "")) for s in _column(opened, "fix-first-table", 3)]
    assert scores == sorted(scores, reverse=True) and scores
    opened.click("#fix-first-table thead th:nth-child(4) button")  # again: lowest first
    scores = [float(s.replace(",", "")) for s in _column(opened, "fix-first-table", 3)]
    assert scores == sorted(scores)
    assert problems == []


def test_typing_in_a_filter_hides_rows(page):
    opened, problems, _ = page
    shown = len(_column(opened, "fix-first-table", 1))
    box = opened.locator("input[aria-label='Filter items to fix first']")
    box.fill("helpscout")
    items = _column(opened, "fix-first-table", 2)
    assert 0 < len(items) < shown and set(items) == {"helpscout"}
    box.fill("no item is called this")
    assert _column(opened, "fix-first-table", 1) == []
    box.fill("")
    assert len(_column(opened, "fix-first-table", 1)) == shown
    assert problems == []


def test_a_long_table_is_paged(page):
    opened, problems, _ = page
    total = opened.eval_on_selector_all("#fix-first-table tbody tr", "rows => rows.length")
    assert total > 25 and len(_column(opened, "fix-first-table", 0)) == 25
    opened.locator("#fix-first .controls button", has_text="Next").click()
    second = _column(opened, "fix-first-table", 0)
    assert second[0] == "26" and len(second) == min(25, total - 25)
    assert problems == []


def test_the_page_reads_in_full_without_javascript(browser, report_page, tmp_path):
    context = browser.new_context(java_script_enabled=False)
    opened = context.new_page()
    opened.goto(report_page.as_uri())
    rows = opened.locator("#fix-first-table tbody tr")
    assert rows.count() > 25 and rows.nth(rows.count() - 1).is_visible()  # every row, no page of them
    assert opened.locator(".controls").count() == 0
    opened.screenshot(path=str(tmp_path / "no-js.png"))
    context.close()
