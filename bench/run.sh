#!/usr/bin/env bash
# peelcheck beside the peers: one command.
#
#   bench/run.sh                                   # N = 100,000 and 1,000,000, 3 repetitions (long: GX)
#   bench/run.sh --sizes 100000 --reps 1           # quick agreement check
#   bench/run.sh --sizes 1000000 --only csv-loop,duckdb,gx
#
# Every option is passed to peer-bench's run.py (--sizes, --reps, --only, --gx-limit, --timeout,
# --no-check, --md, --json). peelcheck's durable, python and columnar engines, and the columnar engine on a
# two-worker local cluster, are always added with run.py's --add, so they
# go through the same agreement check (counts + digest of failing case_refs against the csv loop)
# and the same timing (fresh process, wall time, peak RSS and CPU from os.wait4).
#
# Environment:
#   PEERBENCH_DIR   peer-bench folder (read only)          default <repo>/../shared/peer-bench
#   PEERBENCH_VENV  venv for the peers, created if missing  default ${TMPDIR:-/tmp}/peerbench-venv
#   PEERBENCH_DATA  CSVs, raw JSON, logs (run.py's own)     default ${TMPDIR:-/tmp}/peerbench-data
#   PEELCHECK_VENV  venv with peelcheck installed           default <repo>/.venv
#   PEELCHECK_PYTHON  or the interpreter itself             default $PEELCHECK_VENV/bin/python
#   PEELCHECK_JOBS  e.g. "2 auto": also measure both engines with --jobs 2 and with --jobs auto (the
#                   CLI's default): peelcheck-durable-j2, peelcheck-python-jauto, ...; where the
#                   measured peelcheck has AssessOptions.jobs                    default: none
#   PEELCHECK_SRC   which peelcheck source to measure:
#                   snapshot (default): the last commit's src/, exported once with `git archive` (and
#                     byte-compiled, as an installed package is) to
#                     $PEERBENCH_DATA/peelcheck-src-<commit>/ and put first on PYTHONPATH, so commits
#                     or edits made while a long run is going cannot mix versions in one table;
#                   live: the working tree as the venv imports it (uncommitted edits included);
#                   or a folder holding a peelcheck package (PYTHONPATH is set to it).
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(dirname "$BENCH")"
PEERBENCH_DIR="${PEERBENCH_DIR:-$(dirname "$REPO")/shared/peer-bench}"
PEERBENCH_VENV="${PEERBENCH_VENV:-${TMPDIR:-/tmp}/peerbench-venv}"
export PEERBENCH_DATA="${PEERBENCH_DATA:-${TMPDIR:-/tmp}/peerbench-data}"
export PEERBENCH_DIR
PEELCHECK_VENV="${PEELCHECK_VENV:-$REPO/.venv}"
PEELCHECK_PYTHON="${PEELCHECK_PYTHON:-$PEELCHECK_VENV/bin/python}"
PEER_PACKAGES=(great_expectations pandera pandas duckdb pyarrow)

[ -f "$PEERBENCH_DIR/run.py" ] || { echo "run.sh: no run.py in PEERBENCH_DIR=$PEERBENCH_DIR" >&2; exit 2; }
[ -x "$PEELCHECK_PYTHON" ] || { echo "run.sh: no python at $PEELCHECK_PYTHON (set PEELCHECK_VENV or PEELCHECK_PYTHON)" >&2; exit 2; }
"$PEELCHECK_PYTHON" -c "import peelcheck, durable_rules_engine" \
  || { echo "run.sh: $PEELCHECK_PYTHON cannot import peelcheck and durable_rules_engine" >&2; exit 2; }

# (a) the peers' venv, as peer-bench's README makes it, outside the repository
if ! "$PEERBENCH_VENV/bin/python" -c "import great_expectations, pandera, pandas, duckdb, pyarrow" 2>/dev/null; then
  echo "run.sh: creating the peers' venv at $PEERBENCH_VENV" >&2
  python3 -m venv "$PEERBENCH_VENV"
  "$PEERBENCH_VENV/bin/pip" install --quiet "${PEER_PACKAGES[@]}"
fi
mkdir -p "$PEERBENCH_DATA"

# (b) run.py with both peelcheck engines added
q() { printf '%q' "$1"; }
PEELCHECK_SRC="${PEELCHECK_SRC:-snapshot}"
case "$PEELCHECK_SRC" in
  live) PEER="$(q "$PEELCHECK_PYTHON") $(q "$BENCH/peelcheck_peer.py")"; measured="live working tree" ;;
  snapshot)
    commit="$(git -C "$REPO" rev-parse --short HEAD)"
    snap="$PEERBENCH_DATA/peelcheck-src-$commit"
    if [ ! -d "$snap/src/peelcheck" ]; then
      rm -rf "$snap.tmp" && mkdir -p "$snap.tmp"
      git -C "$REPO" archive HEAD src | tar -x -C "$snap.tmp"
      # byte-compiled once, as pip does when it installs a package: each measured process would
      # otherwise compile peelcheck's modules from source (PYTHONDONTWRITEBYTECODE keeps none)
      "$PEELCHECK_PYTHON" -m compileall -q "$snap.tmp/src" >/dev/null && mv "$snap.tmp" "$snap"
    fi
    PEER="env PYTHONPATH=$(q "$snap/src") $(q "$PEELCHECK_PYTHON") $(q "$BENCH/peelcheck_peer.py")"
    measured="commit $commit (snapshot $snap/src)" ;;
  *) PEER="env PYTHONPATH=$(q "$PEELCHECK_SRC") $(q "$PEELCHECK_PYTHON") $(q "$BENCH/peelcheck_peer.py")"
     measured="$PEELCHECK_SRC" ;;
esac
stamp="$(date +%Y%m%d-%H%M%S)"
extra=()
case " $* " in *" --json "*|*" --json="*) ;; *) extra+=(--json "$PEERBENCH_DATA/results-peelcheck-$stamp.json") ;; esac
case " $* " in *" --md "*|*" --md="*) ;; *) extra+=(--md "$PEERBENCH_DATA/results-peelcheck-$stamp.md") ;; esac
log="$PEERBENCH_DATA/run-peelcheck-$stamp.log"
echo "run.sh: peelcheck python $PEELCHECK_PYTHON; peers $PEERBENCH_VENV/bin/python; data $PEERBENCH_DATA; log $log" >&2

# which peelcheck is measured: the lead may commit while a long run is going
src_state() {
  git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo "?"
  git -C "$REPO" status --porcelain -- src 2>/dev/null | sort
  find "$REPO/src" -name '*.py' -printf '%T@ %s %p\n' 2>/dev/null | sort | md5sum
}
before="$(src_state)"
echo "run.sh: measuring peelcheck $measured" | tee -a "$log"

adds=(--add "peelcheck-durable=$PEER --engine durable" --add "peelcheck-python=$PEER --engine python"
      --add "peelcheck-columnar=$PEER --engine columnar"
      --add "peelcheck-columnar-cluster2=$PEER --engine columnar --cluster local:2")
for j in ${PEELCHECK_JOBS:-}; do
  adds+=(--add "peelcheck-durable-j$j=$PEER --engine durable --jobs $j"
         --add "peelcheck-python-j$j=$PEER --engine python --jobs $j")
done

set +e
"$PEERBENCH_VENV/bin/python" "$PEERBENCH_DIR/run.py" "${adds[@]}" "${extra[@]}" "$@" 2>&1 | tee -a "$log"
rc=${PIPESTATUS[0]}
set -e
[ "$rc" -eq 0 ] || { echo "run.sh: run.py failed (exit $rc)" >&2; exit "$rc"; }

if [ "$PEELCHECK_SRC" = live ] && [ "$(src_state)" != "$before" ]; then
  echo "run.sh: WARNING: src/ changed during the run (now at $(src_state | head -1)): the peelcheck rows mix versions" | tee -a "$log"
fi

# (c) agreement and targets, from run.py's raw measurements
json_path="$(sed -n 's/^raw measurements: //p' "$log" | tail -1)"
"$PEELCHECK_PYTHON" "$BENCH/summarize.py" "$json_path"
