#!/usr/bin/env python3
"""peelcheck as a peer-bench implementation: the ten rules as a pack, run end to end from the CSV.

    peelcheck_peer.py CASES.csv [--digest] [--engine durable|python|columnar] [--jobs N|auto] [--cluster local:N]

The same path a user takes with ``peelcheck assess --pack bench/pack --type bench_case CASES.csv``:
the pack (bench/pack) is loaded and compiled, then ``peelcheck.pipeline.assess`` reads the CSV,
validates every row with pydantic, evaluates every rule with the chosen engine, explains every
failure and builds the Assessment model. Nothing is rendered: like the peers, the result stays in
memory and only the counts (and, with --digest, a hash of the failing case_refs) are printed, by
peer-bench's own ``common.emit()`` (imported from $PEERBENCH_DIR, default ../shared/peer-bench beside the checkout).

Rule BEN-0N of the pack is peer-bench rule RN; a rule's failing refs are the keys (case_ref) of
its failures (non-compliant and not recorded). Phases timed inside the process, like the peers:
import (interpreter start to peelcheck imported), pack (load, check and compile bench/pack),
assess (read + validate + evaluate + explain + result model: the one call the CLI makes),
collect (mapping the Assessment to peer-bench's result).
"""
from __future__ import annotations

import time

T0 = time.perf_counter()

import dataclasses  # noqa: E402
import datetime as dt  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

HERE = Path(__file__).resolve().parent
PEERBENCH_DIR = os.environ.get("PEERBENCH_DIR", str(HERE.parent.parent / "shared" / "peer-bench"))
sys.path.insert(0, PEERBENCH_DIR)

from common import RULES, Phases, emit, parse_args, rule  # noqa: E402

import peelcheck  # noqa: E402
from peelcheck.compile.pack_check import load_compiled_pack  # noqa: E402
from peelcheck.errors import PeelcheckError  # noqa: E402
from peelcheck.pipeline import AssessOptions, Engine, assess  # noqa: E402
from peelcheck.schema.outcomes import RuleStatus  # noqa: E402

PACK_DIR = HERE / "pack"
RECORD_TYPE = "bench_case"
AS_OF = dt.date(2026, 11, 22)  # fixed: no rule reads the assessment date, but runs must not depend on the day
RULE_IDS = {f"BEN-{i:02d}": f"R{i}" for i in range(1, 11)}


def _extra(ap) -> None:
    ap.add_argument("--engine", choices=[e.value for e in Engine], default=Engine.DURABLE.value)
    ap.add_argument("--pack", default=str(PACK_DIR), help="the pack folder (default: bench/pack)")
    ap.add_argument("--jobs", type=lambda t: None if t == "auto" else int(t), default=1,
                    help="processes for the CSV, or auto (AssessOptions.jobs, None for auto, where the measured "
                         "peelcheck has it; the CLI's default is auto)")
    ap.add_argument("--cluster", default=None, help="a Dask cluster (AssessOptions.cluster), e.g. local:2")


def _keys(failures) -> list[str]:
    """A rule's failing keys: read from the failures' own columns where this peelcheck keeps them so."""
    return failures.keys() if hasattr(failures, "keys") else [f.key for f in failures]


def main() -> int:
    args = parse_args(__doc__, _extra)
    ph = Phases(T0)
    ph.mark("import")
    engine = Engine(args.engine)
    try:
        pack = load_compiled_pack(Path(args.pack))
        ph.mark("pack")
        options = AssessOptions(as_of=AS_OF, engine=engine, record_type=RECORD_TYPE)
        if args.jobs != 1:
            if "jobs" not in {f.name for f in dataclasses.fields(AssessOptions)}:
                print("this peelcheck has no AssessOptions.jobs", file=sys.stderr)
                return 2
            options.jobs = args.jobs
        if args.cluster:
            options.cluster = args.cluster
        assessment = assess(pack, [Path(args.csv)], options)
        ph.mark("assess")
    except PeelcheckError as error:
        for diagnostic in error.diagnostics[:20]:
            print(str(diagnostic), file=sys.stderr)
        print(f"peelcheck failed with {len(error.diagnostics)} diagnostic(s)", file=sys.stderr)
        return 2
    if assessment.engine != engine.value:
        print(f"asked for the {engine.value} engine, peelcheck ran {assessment.engine}", file=sys.stderr)
        return 2
    results = {RULE_IDS[r.id]: r for r in assessment.rules if r.id in RULE_IDS}
    missing = [rid for rid in RULES if rid not in results]
    if missing:
        print(f"the pack has no rule for {', '.join(missing)}", file=sys.stderr)
        return 2
    rules = {rid: rule(r.applicable, r.non_compliant, r.not_recorded, _keys(r.failures))
             for rid, r in results.items()}
    r10 = results["R10"]
    where = Path(peelcheck.__file__).parent.parent
    notes = (f"peelcheck from {where}; engine {assessment.engine}; {assessment.summary.records} records, "
             f"{assessment.summary.failing_pairs} failing pairs; BEN-10 {r10.status.value}")
    if args.jobs != 1:  # run.py's peak RSS (wait4) is the largest single process, not the sum
        # RUSAGE_CHILDREN counts the children already waited for: --jobs' workers, not durable-rules' child
        worker = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        notes += (f"; jobs {args.jobs or 'auto'}: parent peak RSS "
                  f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB, "
                  + (f"largest worker {worker:.0f} MiB" if worker else "no worker process"))
    if r10.status not in (RuleStatus.MET, RuleStatus.NOT_MET):
        notes += " (R10 not assessed)"
    ph.mark("collect")
    name = f"peelcheck-{engine.value}{'-cluster' if args.cluster else ''}"
    emit(name, assessment.summary.records, rules, ph, args.digest, notes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
