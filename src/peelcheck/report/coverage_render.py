"""Writing a pack's coverage (report/coverage.py) as plain text or Markdown."""

from __future__ import annotations

from peelcheck.compile.pack_check import CompiledPack
from peelcheck.report.coverage import MUST_COVER, CharacteristicCoverage, Coverage, counts


def _summary(what: str, total: int, tally: dict[str, int]) -> str:
    return (f"{total} {what}: {tally['encoded']} encoded, {tally['manual']} manual, "
            f"{tally['not covered']} not covered")


def _checked_note(rows: list[CharacteristicCoverage]) -> str:
    unchecked = sum(not r.checked for r in rows)
    return (f" ({unchecked} of {len(rows)} placed from the edition's structure and not yet checked against it, "
            "marked ?)" if unchecked else "")


def render_text(pack: CompiledPack, cover: Coverage) -> str:
    titles = {d.id: d.title for d in pack.pack.documents}
    out = [f"Coverage of pack {pack.pack.id} {pack.pack.version}", ""]
    for edition, rows in cover.characteristics.items():
        title = pack.frameworks[edition].title
        out.append(f"{title}: {_summary('characteristics', len(rows), counts(rows))}{_checked_note(rows)}")
        for row in rows:
            mark = " " if row.checked else "?"
            out.append(f"  {row.id:<7}{mark} {row.state:<12} {', '.join(row.rules) or '-'}")
        out.append("")
    for document, findings in cover.findings.items():
        tally = _summary("findings", len(findings), counts(findings))
        out.append(f"{document}: {titles.get(document, document)}: {tally}")
        for finding in findings:
            flag = "!! " if finding.kind in MUST_COVER and finding.state == "not covered" else "   "
            out.append(f"  {flag}{finding.id:<14} {finding.kind.value:<22} {finding.state:<12} "
                       f"{', '.join(finding.rules) or '-'}")
        out.append("")
    out += _unregistered_lines(cover)
    missing = cover.uncovered()
    out.append(f"{len(missing)} cause(s) of concern, recommendation(s) or AFI(s) without a rule"
               + (": " + ", ".join(r.id for r in missing) if missing else ""))
    return "\n".join(out) + "\n"


def _unregistered_lines(cover: Coverage) -> list[str]:
    if cover.unregistered is None:
        return []
    total = sum(len(asks) for asks in cover.unregistered.values())
    out = [f"{total} sentence(s) in the documents' text read as asks of the force and are in no registry entry "
           "(candidates: add each to the registry, encoded or not, or judge it not a finding)"]
    for document, asks in cover.unregistered.items():
        out += [f"  {document}:{ask.line}  {ask.text}" for ask in asks]
    return out + [""]


def render_markdown(pack: CompiledPack, cover: Coverage) -> str:
    titles = {d.id: d.title for d in pack.pack.documents}
    out = [f"# Coverage of pack `{pack.pack.id}` {pack.pack.version}", ""]
    for edition, rows in cover.characteristics.items():
        out += [f"## {pack.frameworks[edition].title}", "",
                _summary("characteristics", len(rows), counts(rows)) + _checked_note(rows) + ".", "",
                "| characteristic | checked | state | rules | summary (the pack's paraphrase) |",
                "|---|---|---|---|---|"]
        out += [f"| {r.id} | {'yes' if r.checked else 'no'} | {r.state} | {', '.join(r.rules) or '-'} | {r.summary} |"
                for r in rows]
        out.append("")
    for document, findings in cover.findings.items():
        out += [f"## {document}: {titles.get(document, document)}", "",
                _summary("findings", len(findings), counts(findings)) + ".", "",
                "| finding | kind | state | rules |", "|---|---|---|---|"]
        out += [f"| {f.id} | {f.kind.value} | {f.state} | {', '.join(f.rules) or '-'} |" for f in findings]
        out.append("")
    if cover.unregistered is not None:
        out += ["## Asks in the documents' text that are in no registry entry", "",
                "| document | line | sentence |", "|---|---|---|"]
        out += [f"| {a.document} | {a.line} | {a.text.replace('|', '/')} |"
                for asks in cover.unregistered.values() for a in asks]
        out.append("")
    missing = cover.uncovered()
    out.append(f"{len(missing)} cause(s) of concern, recommendation(s) or AFI(s) without a rule"
               + (": " + ", ".join(r.id for r in missing) if missing else "") + ".")
    return "\n".join(out) + "\n"
