"""``peelcheck init``: the files of a force's own rules repository, as examples/force-rules-repo/ lays out.

An overlay pack extending the installed peel-core (the force's name, a document, an empty findings registry,
one local rule), a profile, one Gherkin scenario run by the peelcheck pytest plugin, and a CI workflow.
"""

from __future__ import annotations

import re
from pathlib import Path
from string import Template

from peelcheck import __version__
from peelcheck.load.pack_registry import CORE_PACK, find_installed

PACK = Template('''\
# The $name overlay: what this force adds to the national core ($core), with no Python and no
# edit to the core. Check it with: peelcheck validate pack
id: $id
title: $name's PEEL self-assessment pack
version: 0.1.0
extends:
  - pack: $core
    version: "$core_range"
force:
  name: $name$short
timezone: Europe/London
documents:
  # The force's own documents: inspection reports, letters, local policies. Give `file:` (the text, kept
  # beside pack.yaml) to have every quote checked with: peelcheck validate pack --sources pack
  - id: LOCAL1
    title: Control room service standard
    publisher: $name
    date: 2024-01-01
areas:
  - id: local-standards
    title: Local standards
    prefix: LOC
# Thresholds changed for this force, and core rules out of its scope, each with the reason:
thresholds: {}
out_of_scope: []
''')

RULE = Template('''\
id: LOC-001
title: Non-emergency calls are answered within 60 seconds
area: local-standards
kind: local-standard
severity: medium
source:
  document: LOCAL1
  section: Call handling
  quote: Non-emergency calls are answered within 60 seconds.
record_type: call
when: {call_type: non_emergency}
expect:
  answered_after_seconds: {at_most: 60}
threshold: 0.8
threshold_source: The control room service standard (LOCAL1) sets 80% of calls within 60 seconds.
remediation: Review staffing against call demand by hour, and publish the answer times monthly.
examples:
  - name: answered-in-a-minute
    record: {call_type: non_emergency, answered_after_seconds: 60}
    outcome: compliant
  - name: answered-after-a-minute
    record: {call_type: non_emergency, answered_after_seconds: 61}
    outcome: non_compliant
''')

FINDINGS = '''\
# The findings registry: every finding of the force's documents, in their order, each listing the
# rules (core or local) that evidence it:
#   - id: LOCAL1-F-01
#     document: LOCAL1
#     section: Call handling
#     kind: local-standard
#     rules: [LOC-001]
#     quote: Non-emergency calls are answered within 60 seconds.
findings: []
'''

PROFILE = Template('''\
# A year's profile: thresholds and rules switched off for one assessment, each with its reason.
# peelcheck assess --profile profile.yaml FILES  (assesses the pack named below)
id: $id-self-assessment
title: $name self-assessment
pack: $id
thresholds: {}
# A time window of your own in place of the pack's, with its reason (docs/packs.md): the deadline's
# "not yet due" window moves with it, and `was:` picks one of a field's windows by its length in the pack.
#   MOS-004:
#     field: supervisor_reviewed_on
#     days: 28
#     reason: Our supervision standard allows four weeks.
windows: {}
disable: []
''')

FEATURE = '''\
@local_standards
Feature: Answering non-emergency calls (local standard)
  The control room service standard asks that non-emergency calls are answered within 60 seconds.

  @local_standard @boundary
  Scenario Outline: A call answered at the minute passes; a second later fails
    Given a call record "CALL-1" with:
      | call_type              | non_emergency |
      | answered_after_seconds | <seconds>     |
    When the assessment runs
    Then record CALL-1 <outcome> rule LOC-001

    Examples:
      | seconds | outcome             |
      | 60      | passes              |
      | 61      | fails               |
      |         | is not recorded for |
'''

PYTEST_INI = '''\
# No Python here: the peelcheck pytest plugin (installed with peelcheck) provides every step.
[pytest]
testpaths = features
bdd_features_base_dir = features
peelcheck_pack = pack
peelcheck_profile = profile.yaml
peelcheck_collect_features = true
markers =
    local_standards: the force's local standards
addopts = --strict-markers -p no:cacheprovider
'''

CI = Template('''\
# Every push: the pack is checked and its scenarios run against the installed core.
name: peelcheck
on: [push, pull_request]
jobs:
  check:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with: {python-version: "3.12"}
      - run: pip install "peelcheck[bdd]==$version"
      - run: peelcheck validate pack --profile profile.yaml --examples
      - run: python -m pytest
''')


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "force"


def _core_range() -> str:
    """The core versions the new overlay is written for: the installed one's minor series."""
    core = find_installed(CORE_PACK)
    text = (core / "pack.yaml").read_text(encoding="utf-8") if core else ""
    found = re.search(r"^version:\s*(\d+)\.(\d+)", text, flags=re.M)
    major, minor = (int(found[1]), int(found[2])) if found else (0, 0)
    return f">={major}.{minor},<{major}.{minor + 1}"


def write_force_repo(folder: Path, name: str, short_name: str | None, pack_id: str | None) -> list[Path]:
    values = {"name": name, "id": pack_id or _slug(name), "core": CORE_PACK, "core_range": _core_range(),
              "short": f"\n  short_name: {short_name}" if short_name else "", "version": __version__}
    files = {
        "pack/pack.yaml": PACK.substitute(values),
        "pack/local-standards/LOC-001.yaml": RULE.substitute(values),
        "pack/findings/LOCAL1.yaml": FINDINGS,
        "profile.yaml": PROFILE.substitute(values),
        "features/local_standards.feature": FEATURE,
        "pytest.ini": PYTEST_INI,
        ".github/workflows/peelcheck.yml": CI.substitute(values),
    }
    written = []
    for relative, text in files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
