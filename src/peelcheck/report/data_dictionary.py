"""The data dictionary: one Markdown page per record type (its fields, their types and allowed values,
and which rules read each), generated from the pack so it cannot drift from it."""

from __future__ import annotations

from collections import defaultdict

from peelcheck.compile.pack_check import CompiledPack
from peelcheck.schema.conditions import referenced_fields
from peelcheck.schema.pack import FieldSpec, FieldType, RecordTypeSpec

# How a person writes each type in a CSV cell or a workbook (a workbook's own dates also do).
HOW_WRITTEN = {
    FieldType.BOOL: "true or false (also yes/no, y/n, 1/0)",
    FieldType.INT: "a whole number",
    FieldType.FLOAT: "a number",
    FieldType.STRING: "text",
    FieldType.ENUM: "one of the allowed values",
    FieldType.DATE: "a date, 2021-03-04",
    FieldType.DATETIME: "a date and time, 2021-03-04T09:30:00 (local time unless an offset is given)",
    FieldType.DURATION: "a duration in seconds, or ISO 8601 (P1DT2H)",
    FieldType.DATE_LIST: "dates separated by ';', 2021-01-05;2021-02-01",
}


def rules_by_field(pack: CompiledPack, record_type: str) -> dict[str, list[str]]:
    """Field -> the ids of the rules that read it (in their applicability or their expectation)."""
    used: dict[str, list[str]] = defaultdict(list)
    for rule in pack.rules:
        if rule.record_type.name != record_type:
            continue
        names = {n for cond in (rule.when, rule.expect) if cond is not None for n in referenced_fields(cond)}
        for name in sorted(names):
            used[name].append(rule.id)
    return used


def allowed(spec: FieldSpec) -> str:
    return ", ".join(spec.values) if spec.values else HOW_WRITTEN[spec.type]


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def record_type_page(pack: CompiledPack, spec: RecordTypeSpec) -> str:
    used = rules_by_field(pack, spec.name)
    lines = [f"# {spec.title} (`{spec.name}`)", "", _cell(spec.description), "",
             f"Key: `{spec.key}` (names each record in findings). A blank cell, or a field left out, is "
             "\"not recorded\". Blank templates: `peelcheck template " + spec.name + " --format xlsx`.", "",
             "| field | type | required | allowed values / how written | rules that read it | description |",
             "|---|---|---|---|---|---|"]
    for name, field in spec.fields.items():
        lines.append(f"| `{name}` | {field.type.value} | {'yes' if field.required else ''} | "
                     f"{_cell(allowed(field))} | {', '.join(used.get(name, [])) or '-'} | {_cell(field.description)} |")
    return "\n".join(lines) + "\n"


def dictionary_pages(pack: CompiledPack) -> dict[str, str]:
    """File name -> Markdown: one page per record type and an index."""
    pages = {f"{name}.md": record_type_page(pack, spec) for name, spec in sorted(pack.record_types.items())}
    index = ["# Data dictionary", "", f"Generated from the pack `{pack.pack.id}` {pack.pack.version} by "
             "`peelcheck dictionary`; do not edit by hand.", "", "| record type | title | fields |", "|---|---|---|"]
    index += [f"| [`{name}`]({name}.md) | {spec.title} | {len(spec.fields)} |"
              for name, spec in sorted(pack.record_types.items())]
    pages["README.md"] = "\n".join(index) + "\n"
    return pages
