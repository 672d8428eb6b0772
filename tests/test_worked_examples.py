"""The worked examples in examples/west-mercia-*: synthetic self-assessments shaped on the inspection
reports, whose gap reports must reach the reports' own judgments.

For each example folder:
- its seeded ``generate.py`` regenerates the committed record files byte for byte (so the generator
  and the files cannot drift apart);
- the real assessment (the pack, the example's profile, both engines) gives every rule the status
  its ``EXPECTED.md`` states;
- every cause of concern, recommendation and area for improvement of the report in the findings
  registry has a row in ``EXPECTED.md`` (with at least one rule not met), and for the follow-up,
  every progress statement of the PCC's letter has one;
- each rule named against a registry finding really cites that finding;
- every rule the records reach (met or not met) is pinned in ``EXPECTED.md``.

``EXPECTED.md`` is ordinary Markdown: a ``Document:`` line, the command (its ``--as-of`` and
``--profile`` are read from it), and tables with an ``expected`` column of ``RULE-ID status`` pairs
(``met``, ``not_met``, ``not_assessed``, ``manual``, ``disabled``) and, optionally, ``finding`` and
``kind`` columns naming a registry finding.
"""

from __future__ import annotations

import datetime as dt
import filecmp
import re
import subprocess
import sys
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pytest

from peelcheck.assess.model import Assessment, RuleResult
from peelcheck.compile.pack_check import CompiledPack, load_compiled_pack
from peelcheck.evaluate import durable_engine
from peelcheck.load.answers import load_answers
from peelcheck.pipeline import AssessOptions, Engine, assess

from .conftest import EXAMPLES, PACK_DIR, REPO

GENERATED = ["west-mercia-2021", "west-mercia-2017"]  # folders with a generate.py
ASSESSED = ["west-mercia-2021", "west-mercia-2017", "west-mercia-2017/followup-2018"]
REPORT_KINDS = {"cause-of-concern", "recommendation", "area-for-improvement"}
STATUSES = ("not_met", "not_assessed", "met", "manual", "disabled")
PAIR = re.compile(r"^([A-Z][A-Z0-9]*-\d{2,4})\s+(" + "|".join(STATUSES) + r")$")
RECORD_SUFFIXES = {".csv", ".json", ".jsonl", ".yaml", ".yml"}
NOT_RECORDS = {"profile.yaml", "answers.yaml"}  # a force profile, and the answers to manual rules


# ------------------------------------------------------------------------------- EXPECTED.md
@dataclass
class Row:
    line: int
    finding: str | None
    kind: str | None
    pairs: list[tuple[str, str]]


@dataclass
class Expected:
    path: Path
    document: str
    as_of: dt.date
    profile: Path | None
    answers: Path | None = None
    rows: list[Row] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def pairs(self) -> list[tuple[int, str, str]]:
        return [(row.line, rule, status) for row in self.rows for rule, status in row.pairs]


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def parse_expected(path: Path) -> Expected:
    text = path.read_text(encoding="utf-8")
    document = re.search(r"^Document:\s*(\S+)", text, re.M)
    as_of = re.search(r"--as-of\s+(\d{4}-\d{2}-\d{2})", text)
    profile = re.search(r"--profile\s+(\S+)", text)
    answers = re.search(r"--answers\s+(\S+)", text)
    assert document and as_of, f"{path}: needs a 'Document:' line and a command with --as-of"
    out = Expected(path, document.group(1), dt.date.fromisoformat(as_of.group(1)),
                   REPO / profile.group(1) if profile else None, REPO / answers.group(1) if answers else None)
    lines = text.splitlines()
    header: list[str] | None = None
    for number, line in enumerate(lines, start=1):
        if not line.lstrip().startswith("|"):
            header = None
            continue
        cells = _cells(line)
        if header is None:
            header = [c.lower() for c in cells]
            continue
        if all(set(c) <= set("-: ") for c in cells):
            continue  # the separator under the header
        if "expected" not in header:
            continue
        if len(cells) != len(header):
            out.problems.append(f"{path.name}:{number}: {len(cells)} cells under a header of {len(header)}")
            continue
        row = dict(zip(header, cells))
        pairs = []
        for item in (i.strip() for i in row["expected"].split(",")):
            match = PAIR.match(item)
            if match is None:
                out.problems.append(f"{path.name}:{number}: cannot read {item!r} (want 'RULE-ID status', "
                                    f"status one of {', '.join(STATUSES)})")
                continue
            pairs.append((match.group(1), match.group(2)))
        finding = row.get("finding")
        out.rows.append(Row(number, finding if finding and finding not in ("-", "—") else None,
                            row.get("kind"), pairs))
    assert out.rows, f"{path}: no table with an 'expected' column"
    return out


# ------------------------------------------------------------------------------- assessment
@cache
def _pack(profile: Path | None) -> CompiledPack:
    return load_compiled_pack(PACK_DIR, profile)


def record_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix in RECORD_SUFFIXES
                  and p.name not in NOT_RECORDS)


@cache
def _assessment(example: str, engine: Engine) -> Assessment:
    folder = EXAMPLES / example
    expected = parse_expected(folder / "EXPECTED.md")
    pack = _pack(expected.profile)
    answers = load_answers(expected.answers, {r.id: r.rule.spec.mode for r in pack.rules}) if expected.answers else {}
    options = AssessOptions(as_of=expected.as_of, engine=engine, answers=answers)
    return assess(pack, record_files(folder), options)


def _measure(result: RuleResult) -> str:
    if result.count_target:
        return f"{result.compliant} found, needs {result.count_target}"
    return (f"{result.compliant} of {result.applicable} compliant, {result.non_compliant} non-compliant, "
            f"{result.not_recorded} not recorded, threshold {result.threshold:g}")


# ------------------------------------------------------------------------------------ tests
@pytest.mark.parametrize("example", GENERATED)
def test_generator_reproduces_the_committed_records(example, tmp_path):
    folder = EXAMPLES / example
    run = subprocess.run([sys.executable, str(folder / "generate.py"), str(tmp_path)],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, f"{example}/generate.py failed:\n{run.stderr}"
    generated = {p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file()}
    committed = {p.relative_to(folder) for p in folder.rglob("*") if p.is_file() and p.suffix in RECORD_SUFFIXES
                 and p.name not in NOT_RECORDS and "__pycache__" not in p.parts}
    problems = [f"committed but not generated: {p}" for p in sorted(committed - generated)]
    problems += [f"generated but not committed: {p}" for p in sorted(generated - committed)]
    problems += [f"differs from what generate.py writes: {p}" for p in sorted(generated & committed)
                 if not filecmp.cmp(tmp_path / p, folder / p, shallow=False)]
    assert not problems, f"{example}: run `python examples/{example}/generate.py` and commit the result:\n" \
        + "\n".join(problems)


@pytest.mark.parametrize("engine", list(Engine), ids=lambda e: e.value)
@pytest.mark.parametrize("example", ASSESSED)
def test_gap_report_reaches_the_expected_statuses(example, engine):
    if engine is Engine.DURABLE and not durable_engine.available():
        pytest.skip("durable-rules cannot be imported here (the python engine is tested)")
    expected = parse_expected(EXAMPLES / example / "EXPECTED.md")
    assessment = _assessment(example, engine)
    assert assessment.engine == engine.value
    assert not assessment.rejected_rows
    results = {r.id: r for r in assessment.rules}
    problems = list(expected.problems)
    for line, rule_id, status in expected.pairs():
        result = results.get(rule_id)
        if result is None:
            problems.append(f"EXPECTED.md:{line}: {rule_id} is not a rule of the pack")
        elif result.status.value != status:
            problems.append(f"EXPECTED.md:{line}: {rule_id} expected {status}, got {result.status.value} "
                            f"({_measure(result)})")
    assert not problems, f"{example} ({engine.value} engine): {len(problems)} mismatch(es):\n" + "\n".join(problems)


@pytest.mark.parametrize("example", ASSESSED)
def test_every_published_finding_has_a_row(example):
    expected = parse_expected(EXAMPLES / example / "EXPECTED.md")
    pack = _pack(expected.profile)
    rows: dict[str, list[Row]] = {}
    for row in expected.rows:
        if row.finding:
            rows.setdefault(row.finding, []).append(row)
    mine = [f for f in pack.findings.values() if f.document == expected.document]
    assert mine, f"no finding of document {expected.document} in the registry"
    report = expected.document != "PCC18"  # a follow-up letter reports progress: its rows may all be met
    wanted = [f for f in mine if f.kind.value in REPORT_KINDS] if report else mine
    problems = [f"{f.id} ({f.kind.value}): no row in EXPECTED.md" for f in wanted if f.id not in rows]
    if report:
        problems += [f"{f.id} ({f.kind.value}): no rule expected not_met in its row" for f in wanted
                     if f.id in rows and not any(s == "not_met" for r in rows[f.id] for _, s in r.pairs)]
    assert not problems, f"{example}: {len(problems)} published finding(s) not reproduced:\n" + "\n".join(problems)


@pytest.mark.parametrize("example", ASSESSED)
def test_rows_name_rules_that_cite_their_finding(example):
    expected = parse_expected(EXAMPLES / example / "EXPECTED.md")
    pack = _pack(expected.profile)
    problems = []
    for row in expected.rows:
        if row.finding is None:
            continue
        finding = pack.findings.get(row.finding)
        if finding is None:
            problems.append(f"EXPECTED.md:{row.line}: {row.finding} is not in the findings registry")
            continue
        if row.kind and row.kind != finding.kind.value:
            problems.append(f"EXPECTED.md:{row.line}: {row.finding} is a {finding.kind.value}, not a {row.kind}")
        for rule_id, _ in row.pairs:
            rule = pack.rule(rule_id)
            if rule is not None and row.finding not in rule.rule.spec.findings:
                problems.append(f"EXPECTED.md:{row.line}: {rule_id} does not cite {row.finding}")
    assert not problems, f"{example}:\n" + "\n".join(problems)


@pytest.mark.parametrize("example", ASSESSED)
def test_every_rule_the_records_reach_is_pinned(example):
    expected = parse_expected(EXAMPLES / example / "EXPECTED.md")
    pinned = {rule for _, rule, _ in expected.pairs()}
    reached = [r for r in _assessment(example, Engine.PYTHON).rules if r.status.value in ("met", "not_met")]
    missing = [f"{r.id} {r.status.value} ({_measure(r)})" for r in reached if r.id not in pinned]
    assert not missing, f"{example}: the records reach rules EXPECTED.md does not mention; add a row for each:\n" \
        + "\n".join(missing)
