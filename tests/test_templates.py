"""Templates, the data dictionary and mapping files: a filled template reads back with no mapping,
the dictionary in docs/ is the one the pack generates, mapping files are checked like packs."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import yaml
from click.testing import CliRunner

from peelcheck.cli.main import cli
from peelcheck.exitcodes import ExitCode
from peelcheck.report.data_dictionary import dictionary_pages

from .conftest import PACK_DIR, REPO
from .test_exports import CLEAN, EXPORTS, outcome, report

DICTIONARY = REPO / "docs" / "data-dictionary"


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_filled_xlsx_template_reads_back_with_no_mapping(tmp_path, peel_pack):
    from openpyxl import load_workbook
    result = invoke("template", "--pack", str(PACK_DIR), "out_of_court_disposal", "--format", "xlsx",
                    "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    path = tmp_path / "out_of_court_disposal.xlsx"
    book = load_workbook(path)
    sheet = book["out_of_court_disposal"]
    header = [c.value for c in sheet[1]]
    assert header == list(peel_pack.record_types["out_of_court_disposal"].fields)
    dropdowns = {header[int(str(v.sqref)[0], 36) - 10] for v in sheet.data_validations.dataValidation}
    assert dropdowns == {"disposal_type", "victim_identified", "victim_enhanced_rights",
                         "offender_meets_national_criteria"}
    assert [c.value for c in book["dictionary"]["A"]][1:] == header
    names = CLEAN.read_text().splitlines()[0].split(",")
    for line in CLEAN.read_text().splitlines()[1:]:  # typed as a person fills a sheet: dates as dates
        cells = dict(zip(names, line.split(",")))
        sheet.append([dt.datetime.fromisoformat(c) if "T" in c else (c or None)
                      for c in (cells.get(name, "") for name in header)])
    book.save(path)
    filled = report(str(path))
    assert outcome(filled) == outcome(report(str(CLEAN)))
    assert filled["inputs"][0]["sheets_not_read"] == {}  # the dropdown lists and the dictionary are not data


def test_csv_template_is_the_header(tmp_path, peel_pack):
    assert invoke("template", "--pack", str(PACK_DIR), "--all", "--format", "csv", "-o", str(tmp_path)).exit_code == 0
    written = (tmp_path / "out_of_court_disposal.csv").read_text().strip()
    assert written == ",".join(peel_pack.record_types["out_of_court_disposal"].fields)
    result = invoke("template", "--pack", str(PACK_DIR), "no_such_type")
    assert result.exit_code == ExitCode.ERROR and "[unknown-record-type]" in result.stderr


def test_data_dictionary_in_docs_is_up_to_date(peel_pack):
    pages = dictionary_pages(peel_pack)
    stale = [name for name, text in pages.items()
             if not (DICTIONARY / name).is_file() or (DICTIONARY / name).read_text(encoding="utf-8") != text]
    assert not stale, ("regenerate with: peelcheck dictionary --pack west-mercia docs/data-dictionary "
                       f"({', '.join(stale)})")
    page = pages["out_of_court_disposal.md"]
    assert "| `disposal_type` | enum | yes | caution, conditional_caution, community_resolution |" in page
    assert "INV-001" in page.split("`victim_views_sought_at`")[1].split("\n")[0]


def test_mapping_suggest_drafts_a_mapping_that_reads_the_file(tmp_path):
    result = invoke("mapping", "suggest", "--pack", str(PACK_DIR), str(EXPORTS / "excel_uk.csv"),
                    "--type", "out_of_court_disposal")
    assert result.exit_code == 0, result.output
    draft = tmp_path / "draft.yaml"
    draft.write_text(result.stdout)
    got = report(str(EXPORTS / "excel_uk.csv"), "--mapping", str(draft))
    assert outcome(got) == outcome(report(str(CLEAN)))  # here the draft is right as it stands
    assert got["inputs"][0]["ignored_columns"] == ["Officer Notes"]


def suggest(*args: str, stdin: bytes | None = None):
    return CliRunner().invoke(cli, ["mapping", "suggest", "--pack", str(PACK_DIR), *args,
                                    "--type", "out_of_court_disposal"], input=stdin)


def drafted(text: str) -> dict:
    """A suggested mapping's parts, without the name and description it takes from the file's name."""
    return {k: v for k, v in yaml.safe_load(text).items() if k not in ("name", "description")}


def test_mapping_suggest_reads_standard_input_as_assess_does(tmp_path):
    export = EXPORTS / "excel_uk.csv"
    from_file, from_stdin = suggest(str(export)), suggest("-", stdin=export.read_bytes())
    assert from_stdin.exit_code == 0, from_stdin.output
    assert drafted(from_stdin.stdout) == drafted(from_file.stdout)
    assert drafted(from_stdin.stdout)["columns"]["Disposal Type"] == "disposal_type"
    from openpyxl import Workbook  # a workbook on standard input is known by its first bytes
    book = Workbook()
    sheet = book.active
    sheet.title = "Disposals"
    for row in csv.reader(export.read_text(encoding="utf-8-sig").splitlines()):
        sheet.append(row)
    book.save(tmp_path / "export.xlsx")
    from_book = suggest("-", "--sheet", "Disposals", stdin=(tmp_path / "export.xlsx").read_bytes())
    assert from_book.exit_code == 0, from_book.output
    assert drafted(from_book.stdout)["columns"] == drafted(from_file.stdout)["columns"]


def test_mapping_suggest_refuses_a_format_no_mapping_reads(tmp_path):
    records = tmp_path / "disposals.json"
    records.write_text('[{"Disposal Ref": "D1", "Disposal Type": "Adult Caution"}]')
    for result, where in ((suggest(str(records)), str(records)), (suggest("-", stdin=records.read_bytes()), "<stdin>")):
        assert result.exit_code == ExitCode.ERROR and result.stdout == ""
        assert result.stderr.startswith(f"{where}: error:") and "[unsupported-format]" in result.stderr


def test_mapping_suggest_with_an_unknown_type_is_located_at_type_with_the_closest_name():
    """It said ``error: ... [unknown-record-type]`` with no location and no suggestion."""
    result = CliRunner().invoke(cli, ["mapping", "suggest", "--pack", str(PACK_DIR),
                                      str(EXPORTS / "excel_uk.csv"), "--type", "out_of_court_dispsal"])
    assert result.exit_code == ExitCode.ERROR and result.stdout == ""
    [error, hint] = result.stderr.splitlines()
    assert error.startswith("--type: error:") and error.endswith("[unknown-record-type]")
    assert hint.startswith("  hint: did you mean 'out_of_court_disposal'?") and "case_file" in hint


def test_mapping_suggest_refuses_yaml_records_on_standard_input():
    """Read as a CSV before, and drafted a mapping of one column, 'record_type: out_of_court_disposal'."""
    text = b"record_type: out_of_court_disposal\nrecords:\n  - disposal_ref: D1\n    disposal_type: caution\n"
    result = suggest("-", stdin=text)
    assert result.exit_code == ExitCode.ERROR and result.stdout == ""
    assert result.stderr.startswith("<stdin>: error:") and "[unsupported-format]" in result.stderr


def test_mapping_file_errors_are_located(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\nrecord_type: out_of_court_disposal\ncolumns:\n  Ref: disposal_ref\n"
                   "  Kind: not_a_field\nformats:\n  crime_ref: '%d/%m/%Y'\ndelimeter: ';'\n")
    result = CliRunner().invoke(cli, ["assess", "--pack", str(PACK_DIR), str(CLEAN), "--mapping", str(bad)])
    assert result.exit_code == ExitCode.ERROR
    assert f"{bad}:8:1: error: unknown key 'delimeter' [unknown-key]" in result.stderr
    bad.write_text(bad.read_text().replace("delimeter: ';'\n", ""))
    result = CliRunner().invoke(cli, ["assess", "--pack", str(PACK_DIR), str(CLEAN), "--mapping", str(bad)])
    lines = result.stderr.splitlines()
    assert result.exit_code == ExitCode.ERROR and len(lines) == 2
    checked = invoke("mapping", "check", "--pack", str(PACK_DIR), str(bad))
    assert checked.exit_code == ExitCode.ERROR and checked.stderr.splitlines() == lines
    good = EXPORTS / "force_export.mapping.yaml"
    assert invoke("mapping", "check", "--pack", str(PACK_DIR), str(good)).exit_code == 0
    assert lines[0].startswith(f"{bad}:5:9: error: column 'Kind' maps to unknown field 'not_a_field'")  # at the field
    assert lines[1].startswith(f"{bad}:7:3: error: formats: 'crime_ref' is a string field, not a date")


def test_mapping_values_and_constants_a_field_cannot_hold_are_errors_at_the_mapping(tmp_path):
    bad = tmp_path / "values.yaml"
    bad.write_text('name: mv\nrecord_type: out_of_court_disposal\nvalues:\n'
                   '  victim_identified: {"Yes": maybe, "No": false}\n'  # 4: maybe is no yes/no
                   '  disposal_type:\n    Adult Caution: cautio\n'  # 6: no such disposal type
                   '    Caution: caution\nconstants:\n  offender_meets_national_criteria: perhaps\n'  # 9
                   '  crime_ref: not held\n')
    checked = invoke("mapping", "check", "--pack", str(PACK_DIR), str(bad))
    assert checked.exit_code == ExitCode.ERROR
    where = [line.split(": error:")[0] for line in checked.stderr.splitlines() if ": error:" in line]
    # at the value that is wrong, not at the source value (or field) it is given for
    assert where == [at(bad, 4, "maybe"), at(bad, 6, "cautio"), at(bad, 9, "perhaps")]
    assert all(line.endswith("[invalid-value]") for line in checked.stderr.splitlines() if ": error:" in line)
    data = tmp_path / "yes.out_of_court_disposal.csv"
    data.write_text("disposal_ref,disposal_type,victim_identified\nD1,caution,Yes\nD2,caution,No\n")
    result = CliRunner().invoke(cli, ["assess", "--pack", str(PACK_DIR), str(data), "--mapping", str(bad)])
    assert result.exit_code == ExitCode.ERROR  # blamed on the mapping, before the data is read
    assert result.stderr.splitlines() == checked.stderr.splitlines()


def at(path: Path, line: int, token: str) -> str:
    """``path:line:col`` of ``token``'s first character on ``line`` of the file."""
    return f"{path}:{line}:{path.read_text().splitlines()[line - 1].index(token) + 1}"


def mapping_errors(path: Path) -> list[tuple[str, str]]:
    """(code, path:line:col) of each error ``mapping check`` reports for the mapping file at ``path``."""
    checked = invoke("mapping", "check", "--pack", str(PACK_DIR), str(path))
    assert checked.exit_code == ExitCode.ERROR
    lines = [line for line in checked.stderr.splitlines() if ": error:" in line]
    return [(line.rsplit("[", 1)[1].rstrip("]"), line.split(": error:")[0]) for line in lines]


def test_mapping_errors_about_a_target_point_at_the_target(tmp_path):
    bad = tmp_path / "targets.yaml"
    bad.write_text("name: mt\nrecord_type: out_of_court_disposal\ncolumns:\n  Ref: disposal_ref\n"
                   "  Kind: disposal_kind\n"  # 5: no such field: the target is wrong, not the column
                   "  Type: disposal_type\n  Sort: disposal_type\n"  # 7: two spellings of a column: allowed
                   "values:\n  disposal_kind: {Caution: caution}\n"  # 9: a value map for no field: at the field
                   "date_only:\n  crime_ref: start_of_day\n")  # 11: not a datetime field: at the field
    assert mapping_errors(bad) == [("unknown-field", at(bad, 5, "disposal_kind")),
                                   ("unknown-field", at(bad, 9, "disposal_kind")),
                                   ("invalid-value", at(bad, 11, "crime_ref"))]


def test_profile_holds_mappings_and_timezone(tmp_path):
    pack_id = (PACK_DIR / "pack.yaml").read_text().split("id:", 1)[1].split()[0]
    mapping = (EXPORTS / "force_export.mapping.yaml").read_text()
    indented = "".join(f"    {line}\n" if line else "\n" for line in mapping.splitlines() if not line.startswith("#"))
    profile = tmp_path / "profile.yaml"
    profile.write_text(f"id: test-force\ntitle: Test\npack: {pack_id}\ntimezone: UTC\nmappings:\n  -\n{indented}")
    result = CliRunner().invoke(cli, ["assess", "--pack", str(PACK_DIR), "--profile", str(profile), "--as-of",
                                      "2022-04-01", str(EXPORTS / "excel_uk.csv"), "--mapping", "force_disposals",
                                      "--format", "json", "--rule", "INV-001"])
    assert result.exit_code == ExitCode.GAPS, result.stderr
    source = json.loads(result.stdout)["inputs"][0]
    assert "mapping force_disposals" in source["read_as"] and "times in UTC" in source["read_as"]
    result = CliRunner().invoke(cli, ["assess", "--pack", str(PACK_DIR), str(EXPORTS / "excel_uk.csv"),
                                      "--mapping", "force_disposals"])
    assert result.exit_code == ExitCode.ERROR and "[unknown-mapping]" in result.stderr


def test_generated_pages_name_every_record_type(peel_pack):
    pages = dictionary_pages(peel_pack)
    assert set(pages) == {f"{name}.md" for name in peel_pack.record_types} | {"README.md"}
    assert all(Path(name).stem in pages["README.md"] for name in pages if name != "README.md")


def test_mapping_suggest_on_an_empty_file_or_empty_stdin_is_an_error(tmp_path):
    empty = tmp_path / "export.csv"
    empty.write_text("\n\n")  # blank lines only: no header
    for args, stdin, where in ((str(empty), None, str(empty)), ("-", "", "<stdin>")):
        result = CliRunner().invoke(cli, ["mapping", "suggest", "--pack", str(PACK_DIR), args, "--type", "case_file"],
                                    input=stdin)
        assert result.exit_code == ExitCode.ERROR and result.stdout == ""
        assert [line.rsplit("[", 1)[1] for line in result.stderr.splitlines() if ": error:" in line] == ["empty-file]"]
        assert result.stderr.startswith(f"{where}: error:")
