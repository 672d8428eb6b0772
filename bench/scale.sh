#!/usr/bin/env bash
# Time and memory as the file grows: the columnar engine alone and on a 2-worker local cluster, at each size.
#
#   bench/scale.sh                          # 1,000,000 and 10,000,000 rows (the 10M CSV is 1.6 GB, ~15 min)
#   bench/scale.sh 100000 1000000           # other sizes
#   KEEP=1 bench/scale.sh ...               # keep the generated CSVs (deleted otherwise, unless they existed)
#
# The CSVs are peer-bench's gen_cases.py (seeded: the same N gives the same bytes), written to
# $SCALE_DATA (default ${TMPDIR:-/tmp}/peelcheck-scale), never into the repository. Each run is a fresh
# process timed by /usr/bin/time: wall seconds, user+sys CPU, peak RSS (for the cluster, the parent
# process's: its workers are reported by Dask, not by /usr/bin/time). Every run's counts must agree
# with the first run's at that size (peelcheck_peer.py --digest: counts and a hash of the failing keys).
#
# Environment: PEERBENCH_DIR (default <repo>/../shared/peer-bench), PEELCHECK_PYTHON (default .venv/bin/python),
# SCALE_RUNS (default "columnar cluster2 report report-cluster2"; also "python" and "columnar-r9"), SCALE_DATA.
# report runs what a user runs: `peelcheck assess --engine columnar --memory-limit 64MB -o report.json`, all
# ten rules, every failure written (3.2 million at 10M rows, kept on disk past the first 50,000 while the run
# lasts); the report is checked to hold as many failures as the columnar run counted, then deleted.
# report-cluster2 is the same on a 2-worker local cluster (peak RSS: the client's; see bench/README.md).
# columnar-r9 runs `assess --rule BEN-09` alone (0.4% of records fail it). columnar and cluster2 run
# peelcheck_peer.py, whose collect phase gathers every failing key in lists for peer-bench's digest: their
# peak memory includes those lists (~70 bytes a failure), which is the harness's, not the engine's.
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(dirname "$BENCH")"
PEERBENCH_DIR="${PEERBENCH_DIR:-$(dirname "$REPO")/shared/peer-bench}"
PY="${PEELCHECK_PYTHON:-$REPO/.venv/bin/python}"
DATA="${SCALE_DATA:-${TMPDIR:-/tmp}/peelcheck-scale}"
RUNS="${SCALE_RUNS:-columnar cluster2 report report-cluster2}"
SIZES=("$@")
[ ${#SIZES[@]} -gt 0 ] || SIZES=(1000000 10000000)
export PEERBENCH_DIR
mkdir -p "$DATA"

printf '| rows | run | wall s | user+sys CPU s | peak RSS MB | counts agree |\n|---:|---|---:|---:|---:|---|\n'
for n in "${SIZES[@]}"; do
  csv="$DATA/cases-$n.csv"
  made=0
  if [ ! -f "$csv" ]; then
    "$PY" "$PEERBENCH_DIR/gen_cases.py" -n "$n" -o "$csv" >&2
    made=1
  fi
  first=""
  for run in $RUNS; do
    case "$run" in
      columnar) args=(--engine columnar) ;;
      cluster2) args=(--engine columnar --cluster local:2) ;;
      python) args=(--engine python) ;;
      columnar-r9|report) args=() ;;  # the CLI, below
      report-cluster2) args=(--cluster local:2) ;;
      *) echo "scale.sh: unknown run $run" >&2; exit 2 ;;
    esac
    out="$DATA/out-$n-$run.json"
    if [ "$run" = report ] || [ "$run" = report-cluster2 ]; then
      report="$DATA/report-$n.json"
      timing=$( { /usr/bin/time -f '%e %U %S %M' "$(dirname "$PY")/peelcheck" assess --pack "$BENCH/pack" \
                  --type bench_case --engine columnar --memory-limit 64MB --as-of 2026-11-22 -o "$report" \
                  "${args[@]}" "$csv" > "$out" || [ $? -eq 1 ]; } 2>&1 | tail -1)
      written=$(grep -c '^          "key": ' "$report" || true)  # each failure's first field, as write_json indents it
      counted=$("$PY" -c 'import json,sys; d=json.load(open(sys.argv[1]))
print(sum(r["failing"] for r in d["rules"].values()))' "$DATA/out-$n-columnar.json" 2>/dev/null || echo "?")
      if [ "$counted" = "?" ]; then agree="- ($written failures written; no columnar run to compare)"
      elif [ "$written" = "$counted" ]; then agree="yes ($written failures written)"
      else agree="NO ($written written, $counted counted)"; fi
      rm -f "$report"
    elif [ "$run" = columnar-r9 ]; then
      timing=$( { /usr/bin/time -f '%e %U %S %M' "$(dirname "$PY")/peelcheck" assess --pack "$BENCH/pack" \
                  --type bench_case --engine columnar --rule BEN-09 --as-of 2026-11-22 --format json "$csv" \
                  > "$out" || [ $? -eq 1 ]; } 2>&1 | tail -1)
      agree="- (one rule)"
    else
      timing=$( { /usr/bin/time -f '%e %U %S %M' "$PY" "$BENCH/peelcheck_peer.py" "$csv" --digest "${args[@]}" \
                  > "$out"; } 2>&1 | tail -1)
      counts=$("$PY" -c 'import json,sys; d=json.load(open(sys.argv[1]))
print(json.dumps([d["rows"], d["rules"], d.get("digest")], sort_keys=True))' "$out")
      [ -n "$first" ] || first="$counts"
      agree=$([ "$counts" = "$first" ] && echo yes || echo NO)
    fi
    read -r wall user sys rss <<< "$timing"
    printf '| %s | %s | %.2f | %.2f | %.0f | %s |\n' "$n" "$run" "$wall" "$(echo "$user + $sys" | bc)" \
      "$(echo "$rss / 1000" | bc)" "$agree"
  done
  if [ "$made" = 1 ] && [ -z "${KEEP:-}" ]; then rm -f "$csv"; fi
done
