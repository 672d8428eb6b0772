"""One-off (re-runnable) migration for the split of rules/ into peel-core + west-mercia.

1. Each rule's `findings: [...]` moves onto the findings it names, as `rules: [...]` in the registry
   (rules/west-mercia/findings/*.yaml), so a core rule never names an overlay's finding.
2. A core rule's `source:` (a West Mercia quote) is dropped: the quote lives on a finding of the overlay,
   which lists the rule. A quote that no finding holds yet becomes a new finding first.
Overlay rules keep their `source:`. Run from the repository root: python scripts/invert_findings.py
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

CORE, OVERLAY = Path("rules/peel-core"), Path("rules/west-mercia")
REGISTRY = OVERLAY / "findings"
SPACE = re.compile(r"\s+")


def normal(text: str) -> str:
    return SPACE.sub(" ", text).strip()


def rule_files() -> list[tuple[Path, bool]]:
    special = {"record-types", "findings", "mappings", "framework"}
    out = []
    for root, core in ((CORE, True), (OVERLAY, False)):
        for path in sorted(root.rglob("*.yaml")):
            if path.name != "pack.yaml" and path.relative_to(root).parts[0] not in special:
                out.append((path, core))
    return out


def load_registry() -> dict[str, dict]:
    findings = {}
    for path in sorted(REGISTRY.glob("*.yaml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8"))["findings"]:
            findings[item["id"]] = {**item, "_file": path}
    return findings


def new_finding(findings: dict[str, dict], spec: dict) -> str:
    """Append the rule's quote to its document's registry as a finding; returns the new id."""
    document = spec["source"]["document"]
    numbers = [int(m.group(1)) for f in findings if (m := re.fullmatch(rf"{document}-F-(\d+)", f))]
    new_id = f"{document}-F-{max(numbers, default=0) + 1:02d}"
    path = REGISTRY / f"{document}.yaml"
    quote = normal(spec["source"]["quote"])
    text = path.read_text(encoding="utf-8").rstrip("\n")
    text += (f"\n  - id: {new_id}\n    document: {document}\n    section: {spec['source']['section']}\n"
             f"    kind: finding\n    quote: >-\n      {quote}\n"
             f"    note: The words {spec['id']} quoted before the registry listed its rules.\n")
    path.write_text(text, encoding="utf-8")
    findings[new_id] = {"id": new_id, "quote": quote, "_file": path, "rules": []}
    return new_id


def holding(findings: dict[str, dict], spec: dict) -> str:
    """The finding whose words the rule quotes (the same words first, then one containing them)."""
    quote = normal(spec["source"]["quote"])
    same = [f for f, item in findings.items() if normal(item["quote"]) == quote]
    close = [f for f, item in findings.items() if quote in normal(item["quote"]) or normal(item["quote"]) in quote]
    return (same or close or [new_finding(findings, spec)])[0]


def links(findings: dict[str, dict]) -> tuple[dict[str, list[str]], dict[str, list[str]], list[tuple[Path, bool]]]:
    """finding id -> rule ids, from the rules' `findings:` and (core rules) the finding holding their quote;
    and finding id -> the core rules that quote it."""
    by_finding: dict[str, list[str]] = {}
    quoted: dict[str, list[str]] = {}
    files = rule_files()
    for path, core in files:
        spec = yaml.safe_load(path.read_text(encoding="utf-8"))
        named = list(spec.get("findings") or [])
        if core and spec.get("source"):
            held = holding(findings, spec)
            quoted.setdefault(held, []).append(spec["id"])
            named += [held] if held not in named else []
        for finding in named:
            if finding not in findings:
                sys.exit(f"{path}: unknown finding {finding}")
            by_finding.setdefault(finding, []).append(spec["id"])
    return by_finding, quoted, files


def write_registry(findings: dict[str, dict], by_finding: dict[str, list[str]], quoted: dict[str, list[str]]) -> None:
    for path in sorted(REGISTRY.glob("*.yaml")):
        lines = path.read_text(encoding="utf-8").split("\n")
        requoted = {rule for rules in quoted.values() for rule in rules}  # rules whose quote is decided now
        for i, line in enumerate(lines):  # a rule re-sourced since the last run is no longer quoting old words
            if line.startswith("    quoted_by: ["):
                kept = [r for r in line.split("[")[1].rstrip("]").split(", ") if r and r not in requoted]
                lines[i] = f"    quoted_by: [{', '.join(kept)}]"
        lines = [line for line in lines if line != "    quoted_by: []"]
        current = None
        for i, line in enumerate(lines):
            if m := re.match(r"  - id: (\S+)", line):
                current = m.group(1)
            elif current and line.startswith("    kind:") and by_finding.get(current):
                _set(lines, i + 1, "rules", set(findings[current].get("rules") or []) | set(by_finding[current]))
                if quoted.get(current):
                    old = set(findings[current].get("quoted_by") or []) - requoted
                    _set(lines, i + 2, "quoted_by", old | set(quoted[current]))
                current = None
        path.write_text("\n".join(lines), encoding="utf-8")


def _set(lines: list[str], i: int, key: str, ids: set[str]) -> None:
    line = f"    {key}: [{', '.join(sorted(ids))}]"
    if i < len(lines) and lines[i].startswith(f"    {key}:"):
        lines[i] = line
    else:
        lines.insert(i, line)


def strip_rule(path: Path, core: bool) -> None:
    out, skipping = [], False
    for line in path.read_text(encoding="utf-8").split("\n"):
        if skipping and (line.startswith(" ") or not line):
            continue
        skipping = False
        if line.startswith("findings:") or (core and line.startswith("source:")):
            skipping = line.startswith("source:")
            continue
        out.append(line)
    path.write_text("\n".join(out), encoding="utf-8")


def main() -> None:
    findings = load_registry()
    by_finding, quoted, files = links(findings)
    write_registry(findings, by_finding, quoted)
    for path, core in files:
        strip_rule(path, core)
    print(f"{sum(map(len, by_finding.values()))} links on {len(by_finding)} findings; {len(files)} rule files")


if __name__ == "__main__":
    main()
