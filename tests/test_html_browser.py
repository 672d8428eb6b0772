"""The HTML report opened in a real headless Chromium (Debian's chromium + chromium-driver).

Fails, never skips, when the browser is missing: CI must install it
(apt-get install -y chromium chromium-driver). The screenshot is kept as a CI artefact.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

from peelcheck.cli.main import cli

from .conftest import EXAMPLES, PACK_DIR, REPO

SCREENSHOTS = REPO / "reports" / "screenshots"
EXAMPLE = EXAMPLES / "west-mercia-2021"


def _binary(*names: str) -> str:
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    pytest.fail(f"none of {', '.join(names)} is installed: apt-get install -y chromium chromium-driver")


@pytest.fixture(scope="module")
def browser() -> Iterator[webdriver.Chrome]:
    options = webdriver.ChromeOptions()
    options.binary_location = _binary("chromium", "chromium-browser", "google-chrome")
    profile = tempfile.mkdtemp(prefix="peelcheck-chromium-")
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                 f"--user-data-dir={profile}", "--window-size=1280,1400"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(_binary("chromedriver")))
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("html") / "report.html"
    files = sorted(str(p) for p in EXAMPLE.glob("*.csv"))
    result = CliRunner().invoke(cli, ["assess", "--pack", str(PACK_DIR), "--profile", str(EXAMPLE / "profile.yaml"),
                                      *files, "--as-of", "2022-04-01", "-o", str(out)])
    assert result.exit_code == 1, result.output
    return out


def _count(cell_text: str) -> int:
    return int(cell_text.replace(",", ""))


def test_area_totals_add_up_and_a_drill_down_opens(browser: webdriver.Chrome, report: Path) -> None:
    browser.get(report.as_uri())
    rows = browser.find_elements(By.CSS_SELECTOR, "#area-table tbody tr")
    assert len(rows) >= 5
    for row in rows:
        counts = [_count(c.text) for c in row.find_elements(By.CSS_SELECTOR, "td[data-count]")]
        total = _count(row.find_element(By.CSS_SELECTOR, "td[data-total]").text)
        assert sum(counts) == total, row.text
    foot = [_count(c.text) for c in browser.find_elements(By.CSS_SELECTOR, "#area-table tfoot td")]
    assert sum(foot[:-1]) == foot[-1]

    drill = browser.find_element(By.CSS_SELECTOR, "details.drill")
    table = drill.find_element(By.CSS_SELECTOR, "table.failures")
    assert not table.is_displayed()
    drill.find_element(By.TAG_NAME, "summary").click()
    assert drill.get_attribute("open") is not None and table.is_displayed()
    rows = table.find_elements(By.CSS_SELECTOR, "tbody tr")
    first_key = rows[0].find_element(By.TAG_NAME, "td").text
    drill.find_element(By.CSS_SELECTOR, "input.filter").send_keys(first_key)
    visible = [r for r in rows if r.is_displayed()]
    assert 1 <= len(visible) < len(rows) and all(first_key in r.text for r in visible)

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    browser.execute_script("window.scrollTo(0, 0)")
    assert browser.save_screenshot(str(SCREENSHOTS / "html-report.png"))
    browser.execute_script("arguments[0].scrollIntoView()", drill)
    assert browser.save_screenshot(str(SCREENSHOTS / "html-report-drilldown.png"))


def test_each_drill_down_counts_its_failing_records_in_words_that_agree(browser: webdriver.Chrome,
                                                                        report: Path) -> None:
    browser.get(report.as_uri())
    counted = {}
    for summary in browser.find_elements(By.CSS_SELECTOR, "details.drill > summary"):
        text = summary.get_attribute("textContent") or ""
        found = re.match(r"(\S+): ([\d,]+) failing (records?): ", text)
        assert found, text
        counted[found[1]] = (_count(found[2]), found[3])
    assert {noun for n, noun in counted.values() if n == 1} == {"record"}, counted
    assert {noun for n, noun in counted.values() if n != 1} == {"records"}, counted
    assert counted["INV-024"][0] == 1 and counted["INV-003"][0] == 14  # the example's one answer, its 14 cases


def test_nothing_is_fetched_from_the_network(browser: webdriver.Chrome, report: Path) -> None:
    browser.get(report.as_uri())
    names = browser.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert names == []
    assert browser.find_elements(By.CSS_SELECTOR, "svg.rate")  # charts are inline SVG


def test_the_print_stylesheet_hides_navigation_and_filters(browser: webdriver.Chrome, report: Path) -> None:
    browser.get(report.as_uri())
    assert browser.find_element(By.TAG_NAME, "nav").is_displayed()
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert not browser.find_element(By.TAG_NAME, "nav").is_displayed()
        assert not browser.find_element(By.CSS_SELECTOR, "input.filter").is_displayed()
        assert browser.find_element(By.ID, "area-table").is_displayed()
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


@pytest.fixture(scope="module")
def incomplete_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example's case files with a row that cannot be read, assessed with --skip-invalid."""
    folder = tmp_path_factory.mktemp("incomplete")
    files = []
    for path in sorted(EXAMPLE.glob("*.csv")):
        target = folder / path.name
        target.write_text(path.read_text())
        files.append(str(target))
    bad = folder / "rejected.out_of_court_disposal.csv"
    bad.write_text("disposal_ref,disposal_type,given_at,offender_meets_national_criteria\n"
                   "D1,caution,2021-03-01T10:00:00,true\nD2,cautionz,2021-03-02T10:00:00,true\n")
    out = folder / "report.html"
    result = CliRunner().invoke(cli, ["assess", "--pack", str(PACK_DIR), "--profile", str(EXAMPLE / "profile.yaml"),
                                      *files, str(bad), "--as-of", "2022-04-01", "--skip-invalid", "-o", str(out)])
    assert result.exit_code == 1, result.output  # gaps found outrank the incomplete results' 3
    return out


def test_rejected_rows_show_a_banner_at_the_top_and_a_data_quality_section(
        browser: webdriver.Chrome, incomplete_report: Path) -> None:
    browser.get(incomplete_report.as_uri())
    browser.execute_script("window.scrollTo(0, 0)")
    banner = browser.find_element(By.ID, "incomplete")
    assert banner.is_displayed()
    height = browser.execute_script("return window.innerHeight")
    assert banner.location["y"] + banner.size["height"] <= height  # seen without scrolling
    summary = browser.find_element(By.ID, "summary")
    assert banner.location["y"] < summary.location["y"]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    assert browser.save_screenshot(str(SCREENSHOTS / "html-report-incomplete.png"))

    banner.find_element(By.CSS_SELECTOR, "a[href='#data-quality']").click()
    section = browser.find_element(By.ID, "data-quality")
    assert section.is_displayed()
    article = section.find_element(By.CSS_SELECTOR, "article.input-file[data-rejected='1']")
    assert article.get_attribute("data-path").endswith("rejected.out_of_court_disposal.csv")
    rows = article.find_elements(By.CSS_SELECTOR, "table.rejected tbody tr")
    assert len(rows) == 1 and rows[0].is_displayed()
    assert rows[0].find_elements(By.TAG_NAME, "td")[0].text == "3"  # the line of the rejected row
    browser.execute_script("arguments[0].scrollIntoView()", section)
    assert browser.save_screenshot(str(SCREENSHOTS / "html-report-data-quality.png"))


@pytest.fixture(scope="module")
def not_assessable_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A police.uk stop and search export without its outcome-link column: LEG-019 is not assessable."""
    out = tmp_path_factory.mktemp("not-assessable") / "report.html"
    result = CliRunner().invoke(cli, ["assess", "--pack", str(PACK_DIR), "--as-of", "2018-09-01", "--rule", "LEG-019",
                                      "--mapping", "police_uk_stop_search",
                                      str(REPO / "tests" / "data" / "exports" / "police_uk_no_outcome_link.csv"),
                                      "-o", str(out)])
    assert result.exit_code == 1, result.output
    return out


def _rgb(css: str) -> tuple[float, ...]:
    return tuple(float(v) for v in css[css.index("(") + 1:css.index(")")].split(",")[:3])


def _contrast(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio of two computed colours ('rgb(r, g, b)')."""
    def luminance(rgb: tuple[float, ...]) -> float:
        linear = [c / 255 / 12.92 if c / 255 <= 0.04045 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    light, dark = sorted((luminance(_rgb(foreground)), luminance(_rgb(background))), reverse=True)
    return (light + 0.05) / (dark + 0.05)


_STYLE = "const s = getComputedStyle(arguments[0]); return [s.backgroundColor, s.color, s.borderTopStyle];"


def test_a_rule_not_assessable_has_a_badge_of_its_own(browser: webdriver.Chrome, report: Path,
                                                      not_assessable_report: Path) -> None:
    browser.get(report.as_uri())
    not_met = browser.execute_script(_STYLE, browser.find_element(By.CSS_SELECTOR, "span.st.not_met"))
    browser.get(not_assessable_report.as_uri())
    badge = browser.find_element(By.CSS_SELECTOR, "#rule-LEG-019 span.st.not_assessable")
    assert badge.is_displayed() and badge.text == "not assessable"  # said in words
    background, colour, border = browser.execute_script(_STYLE, badge)
    assert background not in ("rgba(0, 0, 0, 0)", not_met[0]) and colour != not_met[1]
    assert border == "dashed" != not_met[2]  # told apart by its outline too, not by colour alone
    assert _contrast(colour, background) >= 4.5  # WCAG AA for its small bold text
    browser.execute_script("arguments[0].scrollIntoView()", badge)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    assert browser.save_screenshot(str(SCREENSHOTS / "html-report-not-assessable.png"))


_LINES = ("const s = getComputedStyle(arguments[0]); const box = arguments[0].getBoundingClientRect(); "
          "return (box.height - parseFloat(s.borderTopWidth) - parseFloat(s.borderBottomWidth) "
          "- parseFloat(s.paddingTop) - parseFloat(s.paddingBottom)) / parseFloat(s.lineHeight);")


def test_a_status_badge_reads_on_one_line_in_the_narrow_status_column(browser: webdriver.Chrome, report: Path,
                                                                      not_assessable_report: Path) -> None:
    # the longest words, "not assessable" and "not assessed", in the rule table's Status column
    for page, selector in ((not_assessable_report, "#rule-LEG-019 span.st"), (report, "tr.not_assessed span.st")):
        browser.get(page.as_uri())
        badges = browser.find_elements(By.CSS_SELECTOR, selector)
        assert badges
        for badge in badges:
            assert badge.is_displayed()
            assert round(browser.execute_script(_LINES, badge), 1) == 1, badge.text  # one line, not two


def test_a_rule_id_is_never_broken_at_its_hyphen(browser: webdriver.Chrome, not_assessable_report: Path) -> None:
    browser.get(not_assessable_report.as_uri())
    [cell] = browser.find_elements(By.CSS_SELECTOR, "#rule-LEG-019 td.rid")
    # the text's line boxes (the cell is as tall as its row's tallest cell): one, not "LEG-" and "019"
    lines = browser.execute_script("const r = document.createRange(); r.selectNodeContents(arguments[0]); "
                                   "return r.getClientRects().length;", cell)
    assert cell.text == "LEG-019" and lines == 1


def test_the_forces_own_thresholds_and_windows_are_listed_with_their_reasons(browser: webdriver.Chrome,
                                                                             tmp_path: Path) -> None:
    profile = tmp_path / "profile.yaml"
    profile.write_text((EXAMPLE / "profile.yaml").read_text(encoding="utf-8") + (
        "windows:\n  MOS-004:\n    field: supervisor_reviewed_on\n    days: 28\n"
        "    reason: The force's own supervision standard allows four weeks\n"), encoding="utf-8")
    out = tmp_path / "report.html"
    files = sorted(str(p) for p in EXAMPLE.glob("*.csv"))
    result = CliRunner().invoke(cli, ["assess", "--pack", str(PACK_DIR), "--profile", str(profile), *files,
                                      "--as-of", "2022-04-01", "-o", str(out)])
    assert result.exit_code == 1, result.output
    browser.get(out.as_uri())
    browser.find_element(By.CSS_SELECTOR, "nav a[href='#chosen']").click()
    section = browser.find_element(By.ID, "chosen")
    assert section.is_displayed()
    rows = {row.find_element(By.CSS_SELECTOR, "td a").text: row.text
            for row in section.find_elements(By.CSS_SELECTOR, "tbody tr")}
    assert "supervisor_reviewed_on within 28 days after visited_on: The force's own supervision standard allows " \
           "four weeks (pack: 14 days); not yet due, moved with it: visited_on within 28 days" in rows["MOS-004"]
    assert "MOS-006" not in rows  # the pack's own window, not the force's
    link = section.find_element(By.CSS_SELECTOR, "a[href='#rule-MOS-004']")
    assert browser.execute_script("return arguments[0].getClientRects().length;", link) == 1  # one line
    section.find_element(By.CSS_SELECTOR, "a[href='#rule-MOS-004']").click()
    assert browser.execute_script("return location.hash") == "#rule-MOS-004"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    browser.execute_script("arguments[0].scrollIntoView()", section)
    browser.save_screenshot(str(SCREENSHOTS / "forces-own-thresholds.png"))
