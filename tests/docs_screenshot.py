"""Regenerate docs/html-report.png, the README's picture of the HTML report.

Not a test (pytest does not collect it): run it after a change to what the HTML shows, look at the image,
and commit it with the change::

    PYTHONPATH=src .venv/bin/python -m tests.docs_screenshot          # writes docs/html-report.png
    PYTHONPATH=src .venv/bin/python -m tests.docs_screenshot -o x.png # somewhere else

It assesses the bundled example with the README's command (examples/west-mercia-2021, with its answers,
as of 2022-04-01), opens the report in headless Chromium (Debian's chromium + chromium-driver, as
tests/test_html_browser.py does) and saves the top of the page, 1280 pixels wide, down to the end of
the first finding: the summary, the data-quality notes, and the first finding with its rules' rates and
intervals.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import shutil
import sys
import tempfile
from pathlib import Path

from click.testing import CliRunner
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from peelcheck.cli.main import cli

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "west-mercia-2021"
WIDTH, HEIGHT = 1280, 2400


def write_report(out: Path) -> None:
    """The README's command, run from the repository as it is written there (the report names the files
    as given: examples/west-mercia-2021/case_file.csv, not this machine's folders): the bundled example
    with its answers (exit code 1: it has gaps)."""
    example = EXAMPLE.relative_to(REPO)
    files = sorted(str(p.relative_to(REPO)) for p in EXAMPLE.glob("*.csv"))
    with contextlib.chdir(REPO):
        result = CliRunner().invoke(cli, ["assess", "--profile", str(example / "profile.yaml"), *files,
                                          "--as-of", "2022-04-01", "--answers", str(example / "answers.yaml"),
                                          "-o", str(out)])
    if result.exit_code != 1:
        raise SystemExit(f"assess exited {result.exit_code}, not 1:\n{result.output}")


def _binary(*names: str) -> str:
    found = next((shutil.which(n) for n in names if shutil.which(n)), None)
    if found is None:
        raise SystemExit(f"none of {', '.join(names)} is installed: apt-get install -y chromium chromium-driver")
    return found


def screenshot(page: Path, out: Path, width: int = WIDTH, height: int = HEIGHT) -> None:
    options = webdriver.ChromeOptions()
    options.binary_location = _binary("chromium", "chromium-browser", "google-chrome")
    profile = tempfile.mkdtemp(prefix="peelcheck-chromium-")
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                 "--hide-scrollbars", f"--user-data-dir={profile}", f"--window-size={width},{height}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(_binary("chromedriver")))
    try:
        driver.get(page.as_uri())
        # down to the end of the first finding (its rules with their rates and intervals), whatever the
        # heights of what comes before it
        bottom = driver.execute_script(
            "const f = document.querySelector('article.finding');"
            "return f ? f.getBoundingClientRect().bottom + window.scrollY + 16 : arguments[0];", height)
        shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True,
                                                                  "clip": {"x": 0, "y": 0, "width": width,
                                                                           "height": min(bottom, height), "scale": 1}})
        out.write_bytes(base64.b64decode(shot["data"]))
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, default=REPO / "docs" / "html-report.png")
    parser.add_argument("--height", type=int, default=HEIGHT, help="at most this many pixels of the page (width "
                        "1280): it stops at the end of the first finding")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="peelcheck-screenshot-") as folder:
        page = Path(folder) / "report.html"
        write_report(page)
        screenshot(page, args.output, height=args.height)
    print(f"wrote {args.output}", file=sys.stderr)


if __name__ == "__main__":
    main()
