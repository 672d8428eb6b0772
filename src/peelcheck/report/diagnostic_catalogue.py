"""The catalogue of diagnostic codes (docs/diagnostics.md), checked against the codes the source uses.

``codes_in_source`` finds every code peelcheck can emit by reading its own source (the first argument
of a Diagnostic or an error's ``single``, ``code=`` arguments and defaults, a dataclass's ``code`` field's
default, pydantic's mapped codes);
the test holds DESCRIPTIONS to it, so a new code without an entry fails the suite."""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent
_KEBAB = re.compile(r"^[a-z]+(-[a-z0-9]+)+$")
_CALLS = {"Diagnostic", "single", "error", "_fail"}

# code: (when it is raised, what to do). Grouped as the pipeline runs.
DESCRIPTIONS: dict[str, tuple[str, str]] = {
    "no-pack": ("the pack folder does not exist or has no pack.yaml", "name a pack folder (exit 2: misuse)"),
    "unreadable-file": ("a file cannot be read or is not UTF-8", "check the path, permissions and encoding"),
    "yaml-syntax": ("a YAML file does not parse", "fix the syntax at the line and column given"),
    "json-syntax": ("a JSON record file does not parse", "fix the syntax at the line and column given"),
    "empty-file": ("a record file holds nothing", "give a file with a header and rows (or remove it)"),
    "unknown-key": ("a key the file's schema does not have where it is written (keys are never ignored)",
                    "correct the spelling (the hint suggests the closest key of the same mapping), move it where "
                    "the hint says it belongs, or remove it"),
    "missing-key": ("a required key is absent", "add it"),
    "wrong-type": ("a value of the wrong type (YAML reads `no` and `yes` as true/false)", "quote text values"),
    "invalid-value": ("a value outside what the schema allows", "use one of the allowed values"),
    "duplicate-rule-id": ("two rule files use the same id", "give one of them a new id"),
    "duplicate-record-type": ("two record-type files define the same name", "remove or rename one"),
    "duplicate-mapping": ("two mapping files of a pack, or of the packs it builds on, have the same `name:` (a "
                          "profile's mapping of that name replaces a pack's: that is not this)",
                          "rename one (`--mapping NAME` names one) or remove it"),
    "duplicate-finding": ("two findings registry entries share an id", "remove or rename one"),
    "unknown-area": ("a rule names an area pack.yaml does not declare", "declare the area or fix the rule's area"),
    "id-prefix": ("a rule id does not start with its area's prefix", "rename the rule (INV- for investigating...)"),
    "unknown-document": ("a rule or finding cites a document pack.yaml does not declare", "declare it or fix the id"),
    "unknown-finding": ("a rule names a finding the registry does not have", "add it to findings/ or fix the id"),
    "unknown-record-type": ("a rule, mapping or --type names a record type the pack lacks", "see the hint's list"),
    "unknown-field": ("a condition or mapping names a field the record type lacks", "the hint suggests the "
                      "closest field"),
    "bad-condition": ("a condition has the wrong shape", "see docs/rule-language.md"),
    "unknown-operator": ("a test uses an operator the rule language does not have", "the hint suggests the "
                         "closest operator"),
    "type-mismatch": ("a test compares a field with a value or field of another type", "compare like with like"),
    "duplicate-edition": ("two framework registries describe the same PEEL framework edition", "keep one"),
    "duplicate-characteristic": ("a framework registry lists a characteristic twice", "remove one"),
    "unknown-question": ("a framework characteristic names a question its registry lacks", "fix the question id"),
    "characteristic-id": ("a characteristic's id does not start with its question's id", "renumber it"),
    "unknown-edition": ("a rule cites a framework edition with no registry", "see the hint's list"),
    "unknown-characteristic": ("a rule cites a characteristic its edition's registry lacks",
                               "check framework/<edition>.yaml"),
    "quote-not-in-source": ("validate --sources: a quote does not appear in its document", "copy the words exactly"),
    "source-not-held": ("validate --sources: a document's text is not in the sources folder", "add the file"),
    "missing-example": ("validate --examples: an automated rule lacks a passing or a failing example",
                        "add one of each"),
    "wrong-example-outcome": ("validate --examples: an example does not come out as it claims",
                              "fix the example or the rule"),
    "wrong-pack": ("a profile is for another pack", "use the profile's pack, or fix its `pack:`"),
    "disabled-twice": ("one profile's `disable:` or one pack's `out_of_scope:` lists a rule twice (the message "
                       "names the other entry)", "keep one entry, with the reason that stands"),
    "window-twice": ("one profile's or one pack's `windows:` changes the same window of a rule twice (the message "
                     "names the other entry)", "keep one entry, with the window and reason that stand"),
    "adjusts-no-base": ("a pack that extends no other sets `thresholds:`, `windows:`, `out_of_scope:` or "
                        "`rule_kinds:`, which adjust a base pack's rules", "write it in the rule's own file, or in "
                        "an overlay"),
    "twin-window-kept": ("a warning: a force's window changes a deadline, and another window of the rule that may "
                         "have been meant to follow it stays as the pack wrote it (one of the old length on "
                         "another field, or the not-yet-due window on the deadline's reference where the new "
                         "length is hours that are no whole number of days); the not-yet-due window of the "
                         "same length on the reference moves by itself",
                         "give the rule a window on that field too if it should follow; otherwise nothing"),
    "windows-merged": ("a warning: a force's window names a field the rule has windows of different lengths on "
                       "(INV-009's 1 and 5 working days), and gives them all one length",
                       "name the one to change with `was:` (its length in the pack), or leave it if all should "
                       "change"),
    "no-window": ("a profile's or pack's `windows:` names a field the rule has no `within` window on (or none of "
                  "the `was:` length)", "the hint lists the fields the rule's windows test (or the lengths on it)"),
    "unknown-rule": ("a profile, waiver or --rule names a rule the pack lacks", "check the id"),
    "no-such-folder": ("a folder named (local rules, a report's folder) does not exist", "create it or fix the path"),
    "no-output-folder": ("the folder an --output report goes into does not exist", "create it first"),
    "output-is-folder": ("--output names a folder, not a file", "name a file inside it"),
    "output-is-input": ("--output names a file the run reads (a record file, the mapping, the profile, a "
                        "pack file)", "write the report somewhere else: peelcheck never overwrites its inputs"),
    "output-not-writable": ("the --output path cannot be written", "check its permissions"),
    "file-given-twice": ("the same record file is given twice (by another path or a link)",
                         "give each file once: it would be counted twice"),
    "file-too-large": ("a YAML or JSON file past its size cap (docs/limits.md)", "split it, or use CSV or JSON Lines"),
    "line-too-long": ("a line of a CSV or JSON Lines file past its length cap", "check the export: a quote left open?"),
    "bad-json": ("a JSON record file that cannot be read (syntax, a key written twice, NaN)", "fix it at its line"),
    "duplicate-column": ("a column name written twice in a header", "rename or drop one"),
    "mapped-twice": ("a record file holds two columns a mapping sends to one field (a mapping may list two "
                     "spellings of a column; a file may hold one)", "map one of them elsewhere or ignore it"),
    "constant-and-column": ("a mapping gives a field a constant and the record file has a column for it too "
                            "(located at the constant)", "drop the constant, or drop or ignore the column"),
    "missing-key-column": ("a record file has no column for the record type's key", "add it, or map a column to it"),
    "formula-not-calculated": ("a workbook stores a formula without its value (it would read as blank)",
                               "open and save the workbook in Excel"),
    "formula-error": ("a workbook cell holds one of Excel's errors (#DIV/0!, #N/A, #VALUE!...): calamine would "
                      "read it as blank, openpyxl as text", "correct the cell or its formula; clear it if nothing "
                      "was recorded"),
    "no-such-sheet": ("the workbook has no sheet of that name", "name the sheet with --sheet or in the mapping"),
    "empty-sheet": ("a workbook read without --sheet: the sheet read holds no rows of data while another sheet does",
                    "name the sheet with --sheet (or gather the rows onto one sheet)"),
    "sheets-not-read": ("a workbook read without --sheet has other sheets holding data, not assessed (a warning; "
                        "also in the report's notes on the file)", "assess each with --sheet NAME"),
    "not-a-rule-file": ("a file that is not YAML where a pack's rule, record-type or mapping files live (the "
                        "pack's top folder, hidden files and documents' texts are not checked)",
                        "rename it .yaml if it is a rule, or move it out of the pack"),
    "not-a-regular-file": ("a FIFO, socket or device where a file is read (never opened, so never waited on)",
                           "give the file itself"),
    "dangling-link": ("a symbolic link in a pack points nowhere", "fix or remove the link"),
    "link-loop": ("symbolic links in a pack folder loop", "remove the link that loops"),
    "unreadable-folder": ("a pack folder cannot be read", "check its permissions"),
    "not-manual": ("--answers answers a rule that is assessed from records", "answer manual rules only"),
    "repeated-answer": ("--answers answers the same rule twice", "keep one answer per rule"),
    "expired-waiver": ("a waiver's expiry date has passed (validate and assess both stop)",
                       "renew it with a new date and approver, or remove it"),
    "duplicate-waiver": ("one rule (or one record of a rule) is waived by two entries of a waivers file",
                         "keep one entry, with the reason and expiry that hold"),
    "unused-waiver": ("a waiver matched no rule result or failing record (a warning)", "check its rule and record"),
    "population-below-sample": ("a profile's `population` entry is smaller than the rows audited from it (the "
                                "files it covers; found by assess once they are read)",
                                "give how many records the sample was drawn from: at least the rows audited, as "
                                "many for a census"),
    "population-typo": ("a profile's `population` entry matches no record file given but is a close misspelling "
                        "of one that has no entry of its own (found by assess)",
                        "correct the file name: its records would go without the correction"),
    "unused-population": ("a profile's `population` entry matches no record file given and no record type read "
                          "(a warning from assess: no correction came of it)",
                          "check the entry, or ignore it if the profile covers files this run did not read"),
    "unknown-population": ("a profile's `population` key is neither a record file's name (with its extension) "
                           "nor a record type of the pack (validate and assess)",
                           "name a record file (case_file.csv) or a record type"),
    "bad-baseline": ("--baseline is not a peelcheck JSON report (located at its line and key, such as "
                     "`rules.3.status`: a wrong type, a key written twice, NaN, a rule or finding listed twice)",
                     "give the earlier assessment's --format json"),
    "no-such-file": ("a record file named does not exist", "check the path"),
    "io-error": ("a file or folder could not be read or written (a full disk, a folder that cannot be written "
                 "in, permissions)", "check the path, space and permissions (exit 2)"),
    "not-a-folder": ("a file was named where pages or templates are written into a folder", "name a folder"),
    "not-a-file": ("a folder was given where a record file was expected", "name the files in it"),
    "conflicting-record-type": ("--type, a --mapping's record type, a file's `record_type:` key or its name "
                                "disagree about which record type a file holds", "make them agree (exit 2)"),
    "sheet-without-workbook": ("--sheet was given but no record file is a workbook", "drop --sheet (exit 2)"),
    "no-processes": ("--jobs N asked for worker processes and this system cannot start any (no POSIX semaphores: "
                     "some containers and serverless hosts)", "leave --jobs at auto (one process where none can "
                     "start), or give --jobs 1"),
    "unknown-format": ("a record file's extension is not one peelcheck reads (csv, xlsx, xlsm, parquet, json, "
                       "jsonl, ndjson, yaml, yml: the message lists them)", "rename it or convert it"),
    "unsupported-format": ("`mapping suggest` was given a JSON, JSON Lines or YAML file (a mapping renames the "
                           "columns of CSV files, workbooks and Parquet)", "name the record's keys as the "
                           "record type's fields (`peelcheck dictionary`); no mapping is needed"),
    "mapping-not-applicable": ("--mapping given with a JSON, JSON Lines or YAML record file: a mapping is applied "
                               "to CSV files, workbooks and Parquet, whose columns it names; the report would "
                               "name one not applied", "drop --mapping (--type names the record type) and name "
                               "the fields as the record type does, or give the file as CSV, a workbook or Parquet"),
    "unknown-mapping": ("--mapping names a mapping the pack lacks", "see the hint's list"),
    "bad-csv": ("a CSV file cannot be parsed", "fix the row named"),
    "bad-record-file": ("a YAML/JSON record file has the wrong shape", "use `record_type:` and `records:`"),
    "unknown-column": ("a CSV column the record type does not have", "rename it or use a --mapping"),
    "bad-record": ("a row fails validation (file, line, field and value named)", "fix the row, or --skip-invalid"),
    "invisible-character-in-key": ("a key cell holds a character that does not show (a control character such as "
                                   "NUL, or one Unicode marks default-ignorable: a byte-order mark, a zero-width "
                                   "space or joiner, a word joiner, a soft hyphen...), so it would look like another "
                                   "key and name another record: a repeated record would hide (the value is shown "
                                   "escaped, such as `'\\ufeffWM21-CF-0001'`); spaces around a key are dropped, "
                                   "not counted. Also a waiver's `record:` key holding one (it would match no record), "
                                   "and a rule or finding id in a --baseline report (compared with no rule)",
                                   "remove the character (often a byte-order mark where two exports "
                                   "were joined), or --skip-invalid for a record; retype a waiver's key"),
    "repeated-header": ("a CSV line or sheet row whose cells are the header's (each compared as a column name is "
                        "read, spaces and a byte-order mark around it dropped; the header as the file writes it, "
                        "whatever a mapping renames): two exports joined end to end (`cat a.csv b.csv`), the "
                        "second's header in among the records. Whatever the columns' types: where all are text it "
                        "was read as a record keyed by the key column's name", "remove the line (and check the rows "
                        "after it belong in the file), or export the records as one file; --skip-invalid sets it "
                        "aside as a rejected row"),
    "unknown-extension": ("-o FILE has an extension that names no report format", "use .html .json .md .txt .csv "
                          ".xlsx .xml .sarif, or give --format"),
    "binary-to-stdout": ("--format xlsx without -o", "give -o followup.xlsx"),
    "bad-breakdown": ("a rule's breakdown or --by names a field that cannot be broken down (the key, a date...)",
                      "name an enum, yes/no or text field"),
    "parquet-type": ("a Parquet column's type does not match its field's", "convert the column or fix the type"),
    "no-dask": ("--cluster without dask.distributed installed", "pip install 'dask[distributed]'"),
    "no-cluster": ("the Dask scheduler named by --cluster cannot be reached", "check the address"),
    "bad-cluster": ("--cluster local:N with N outside 1..64", "write local:N with N from 1 to 64"),
    "bad-held-failures": ("PEELCHECK_HELD_FAILURES is not a whole number",
                          "give how many failures a run keeps in memory before the rest wait on disk, e.g. 250000"),
    "condition-too-deep": ("a condition nests deeper than the engines take", "flatten it with all/any"),
    "window-too-long": ("a 'within' window longer than the rule language allows", "shorten it"),
    "manual-rule-condition": ("a manual rule has a when/expect that would never run", "remove it, or make the "
                              "rule automated"),
    "duplicate-field": ("an overlay adds a field its base record type already has", "rename or drop it"),
    "duplicate-value": ("an overlay adds an enum value the base already allows", "drop it"),
    "unknown-pack": ("extends (or a profile's pack:) names a pack that is neither installed nor beside it",
                     "install it or fix the name (`peelcheck packs list`)"),
    "wrong-base": ("extends resolved to a folder holding another pack", "fix the path or the pack id"),
    "extends-cycle": ("two packs extend each other", "break the cycle"),
    "incompatible-base": ("the base pack's version is outside the range the overlay was written for",
                          "check the overlay against the base's changes, then update the range"),
    "engine-fault": ("durable-rules failed or lost a fact (a fault, never a finding)", "report it with --debug"),
    "engine-disagreement": ("durable-rules and the reference evaluator disagree on a record", "report it"),
}


def _code_arguments(call: ast.Call) -> list[ast.expr]:
    name = getattr(call.func, "attr", getattr(call.func, "id", ""))
    first = list(call.args[:1]) if name in _CALLS else []
    return first + [k.value for k in call.keywords if k.arg == "code"]


def _code_defaults(function: ast.FunctionDef) -> list[ast.expr]:
    args = function.args.args
    defaults = dict(zip([a.arg for a in args[len(args) - len(function.args.defaults):]], function.args.defaults))
    return [defaults["code"]] if "code" in defaults else []


def _code_field(node: ast.AnnAssign) -> list[ast.expr]:
    """A dataclass's ``code`` field's default (a rejected row's)."""
    named = isinstance(node.target, ast.Name) and node.target.id == "code"
    return [node.value] if named and node.value is not None else []


def codes_in_source(package: Path = PACKAGE) -> set[str]:
    found: set[str] = set()
    for path in package.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            nodes = (_code_arguments(node) if isinstance(node, ast.Call) else
                     _code_defaults(node) if isinstance(node, ast.FunctionDef) else
                     _code_field(node) if isinstance(node, ast.AnnAssign) else [])
            if isinstance(node, ast.Dict) and path.name == "pydantic_errors.py":
                nodes = list(node.values)
            found |= {n.value for n in nodes if isinstance(n, ast.Constant) and isinstance(n.value, str)
                      and _KEBAB.match(n.value)}
    from peelcheck.load.pydantic_errors import _code
    return found | {_code("int_type"), _code("value_error")}


def catalogue_markdown() -> str:
    lines = ["# Diagnostic codes", "",
             "Every problem peelcheck reports ends with its code in brackets (`file:line:col: error: ... [code]`);",
             "SARIF gives it as `ruleId`, JUnit as the failure's `type`, GitHub annotations as the `title`.",
             "This page is generated from `src/peelcheck/report/diagnostic_catalogue.py`; the tests check",
             "that every code the source can emit is here.", "", "| code | when | what to do |", "|---|---|---|"]
    lines += [f"| `{code}` | {when} | {fix} |" for code, (when, fix) in DESCRIPTIONS.items()]
    return "\n".join(lines) + "\n"
