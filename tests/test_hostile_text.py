"""Text from a pack or a record (titles, file names, keys, values) is shown as written in every report format:
never read as Rich markup, never driving the terminal, never raw HTML in Markdown, always valid JSON."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.console import Console

from peelcheck.assess.model import Assessment
from peelcheck.cli.main import cli
from peelcheck.evaluate.runner import Engine
from peelcheck.pipeline import AssessOptions, assess
from peelcheck.report.json_report import render_json
from peelcheck.report.markdown import render_markdown
from peelcheck.report.text import render_text

TITLE = "[bold]Evil[/bold] [/] [link=http://x]click[/link] <script>alert(1)</script> [md](http://x) ![i](x)"
KEY = "K1<img src=x onerror=alert(1)>[red]`|"
# a key may not hold control characters or a right-to-left override (invisible-character-in-key): these reach
# the reports as a rejected row's key and value, and in the file's name
CONTROLS = "\x1b[2J\x1b[31mK1\u202e" + KEY
FILE = "\x1b]0;owned\x07[b]<i>.case_file.csv"


@pytest.fixture(scope="module")
def hostile(peel_pack, tmp_path_factory) -> Assessment:
    folder = tmp_path_factory.mktemp("hostile")
    path = folder / FILE
    # A key repeated (listed with the file name), failing PVP-001 (the key in a failure), a bad value, a bad key.
    path.write_text(f"case_ref,domestic_abuse,victim_withdrew_support,dvpn_considered,outcome_code\n"
                    f'"{KEY}",true,true,false,1\n"{KEY}",true,true,false,1\n"{KEY}",true,true,"{CONTROLS}",1\n'
                    f'"{CONTROLS}",true,true,false,1\n', encoding="utf-8")
    options = AssessOptions(as_of=dt.date(2022, 4, 1), engine=Engine.PYTHON, only_rules=frozenset({"PVP-001"}),
                            skip_invalid=True)
    assessment = assess(peel_pack, [path], options)
    rules = [r.model_copy(update={"title": TITLE}) for r in assessment.rules]
    areas = [a.model_copy(update={"title": TITLE}) for a in assessment.areas]
    return assessment.model_copy(update={"pack_title": TITLE, "rules": rules, "areas": areas})


def test_the_hostile_assessment_carries_the_text_into_every_part(hostile: Assessment):
    assert hostile.rules[0].failures[0].key == KEY and hostile.inputs[0].repeated_keys
    assert [r.value for r in hostile.rejected_rows] == [CONTROLS, CONTROLS] and hostile.inputs[0].path.endswith(FILE)


def test_text_report_shows_markup_as_written_and_no_control_character(hostile: Assessment):
    out = io.StringIO()
    render_text(hostile, Console(file=out, width=400, color_system=None), None)
    text = out.getvalue()
    assert TITLE in text  # shown as written: not styled, not a link, no crash on "[/]"
    assert not {"\x1b", "\x07", "\u202e"} & set(text)
    assert "\\x1b]0;owned\\x07" in text  # written out, visibly


def test_markdown_report_has_no_raw_html_and_no_control_character(hostile: Assessment):
    text = render_markdown(hostile)
    for raw in ("<script>", "<img", "<i>", "\x1b", "\x07", "\u202e"):
        assert raw not in text, raw
    assert not re.search(r"(?<!\\)\]\(", text)  # no Markdown link or image a viewer would follow
    assert "&lt;script&gt;" in text and "&lt;img src=x onerror=alert(1)&gt;" in text
    header = next(line for line in text.splitlines() if line.startswith("| record |"))
    failures = [line for line in text.splitlines() if line.startswith("| ") and "K1" in line]
    assert failures and all(line.count(" | ") == header.count(" | ") for line in failures)  # no cell broken


def test_json_report_keeps_every_value_exactly_and_stays_json(hostile: Assessment):
    text = render_json(hostile)
    report = json.loads(text)
    assert report["pack_title"] == TITLE and report["rules"][0]["failures"][0]["key"] == KEY
    assert "\x1b" not in text  # JSON escapes control characters


def test_diagnostics_on_stderr_carry_no_control_character(peel_pack, tmp_path: Path):
    from .conftest import PACK_DIR
    path = tmp_path / FILE
    path.write_text(f'case_ref,serious\n"{CONTROLS}",maybe\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["assess", "--pack", str(PACK_DIR), str(path), "--rule", "PVP-001"])
    assert result.exit_code == 2 and "[bad-record]" in result.stderr and "[invisible-character-in-key]" in result.stderr
    assert not {"\x1b", "\x07"} & set(result.stderr)


def test_rules_list_and_validate_write_out_control_characters_from_a_pack(tmp_path: Path):
    import shutil

    from .conftest import PACK_DIR
    shutil.copytree(PACK_DIR.parent, tmp_path / "packs")  # the overlay and the core it extends
    pack = tmp_path / "packs" / PACK_DIR.name
    rule = next((tmp_path / "packs").rglob("PVP-001.yaml"))
    text = rule.read_text()
    hostile = text.replace("\ntitle: ", '\ntitle: "\\e]0;owned\\a\\e[2J"\n# ', 1)  # YAML escapes: ESC, BEL
    rule.write_text(hostile)
    listing = CliRunner().invoke(cli, ["rules", "list", "--pack", str(pack)])
    assert listing.exit_code == 0 and "PVP-001" in listing.stdout
    assert not {"\x1b", "\x07"} & set(listing.stdout) and "\\x1b]0;owned\\x07" in listing.stdout
    (rule.parent / "\x1b[31mbad.yaml").write_text("id: [\n")
    checked = CliRunner().invoke(cli, ["validate", str(pack)])
    # problems found: exit 1, diagnostics on stdout (as ruff does), control characters written out
    assert checked.exit_code == 1 and "\\x1b[31mbad.yaml" in checked.output and "\x1b" not in checked.output
