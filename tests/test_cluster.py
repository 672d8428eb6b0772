"""--cluster: an assessment spread over a Dask LocalCluster (worker processes on loopback) gives the
single process's report byte for byte, and a worker lost mid-run loses nothing and counts nothing twice."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import cloudpickle
import pytest
from click.testing import CliRunner
from dask.distributed import Client, LocalCluster, WorkerPlugin, get_task_stream

from peelcheck.cli.main import cli

from .conftest import EXAMPLES, PACK_DIR, repeated_case_files

AS_OF = ["--as-of", "2022-04-01"]
EXAMPLE = sorted(str(p) for p in (EXAMPLES / "west-mercia-2021").glob("*.csv"))
PROFILE = ["--profile", str(EXAMPLES / "west-mercia-2021" / "profile.yaml")]


class KillFirstShard(WorkerPlugin):
    """Ends its worker's process the first time any worker starts a peelcheck partition (a marker
    file remembers it across processes): the scheduler must run that partition again elsewhere."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def transition(self, key, start, finish, **kwargs) -> None:  # type: ignore[no-untyped-def]
        name = key[0] if isinstance(key, tuple) else key
        if finish == "executing" and str(name).startswith(("evaluate_range", "evaluate_shard")) \
                and not os.path.exists(self.marker):
            Path(self.marker).write_text("killed")
            os._exit(1)


@pytest.fixture(scope="module")
def cluster():
    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
                      host="127.0.0.1") as local:
        yield local


@pytest.fixture
def big_case_file(tmp_path: Path) -> Path:
    """The 2021 example's case files ten times over (1,300 rows: two blocks, so two partitions), one bad row."""
    return repeated_case_files(tmp_path / "case_file.csv", 10)


def report(*args: str) -> str:
    result = CliRunner().invoke(cli, ["assess", "--pack", str(PACK_DIR), *AS_OF, "--format", "json", *args],
                                env={"PEELCHECK_PSEUDONYM_KEY": "same key, same pseudonyms"})
    assert result.exit_code == 1, result.output
    return result.stdout


@pytest.mark.parametrize("engine", ["python", "columnar"])
def test_cluster_report_is_byte_identical(cluster, big_case_file, engine):
    files = [*EXAMPLE, str(big_case_file)]
    alone = report(*PROFILE, *files, "--engine", engine, "--skip-invalid")
    spread = report(*PROFILE, *files, "--engine", engine, "--skip-invalid", "--cluster", cluster.scheduler_address)
    assert '"rejected_rows": []' not in alone  # the bad row is listed, by the partition that read it
    assert spread == alone


def test_local_cluster_option_starts_its_own(big_case_file):
    args = [str(big_case_file), "--engine", "python", "--skip-invalid"]
    assert report(*args, "--cluster", "local:2") == report(*args)


def _tasks_run(cluster, *args: str) -> tuple[str, set[str]]:
    """The report of a run on ``cluster``, and the kinds of task its workers ran."""
    with Client(cluster) as client, get_task_stream(client) as stream:
        spread = report(*args, "--cluster", cluster.scheduler_address)
    return spread, {str(task["key"]).strip("('").split("-", 1)[0] for task in stream.data}


def test_a_csv_is_cut_into_byte_ranges_with_repeats_blanks_and_times_across_them(cluster, big_case_file, tmp_path):
    """Each partition reads its own bytes; what the file says as a whole (a key repeated in another
    range, blank lines, a field naive in one range and with offsets in another) is found at the merge."""
    lines = big_case_file.read_text().splitlines(keepends=True)
    header, rows = lines[0], lines[1:]
    rows = [f"K{i % 700}," + row.split(",", 1)[1] for i, row in enumerate(rows)]  # rows 701 on repeat keys
    cells = rows[1200].split(",")
    rows[1200] = ",".join([*cells[:3], cells[3] + "+01:00", *cells[4:]])  # reported_at: naive but here
    rows[100:100] = ["\n", ",,,\n"]
    path = tmp_path / "case_file.csv"
    path.write_text(header + "".join(rows))
    args = [str(path), "--engine", "python", "--skip-invalid"]
    alone = report(*args)
    assert "'K0' at line 704 (first at line 2)" in alone and '"blank_lines": 1' in alone
    assert json.loads(alone)["inputs"][0]["mixed_offsets"] == ["reported_at"]
    spread, tasks = _tasks_run(cluster, *args)
    assert {"surveyed", "evaluate_range"} <= tasks and "evaluate_shard" not in tasks
    assert spread == alone


def test_a_cut_inside_a_quoted_cell_is_read_again_in_shards(cluster, big_case_file, tmp_path):
    """The range after the cut reads from inside the cell: its rows are wrong, but nothing stops it (the
    quote that closes the cell opens one to the file's end); the range before sees its last record run on."""
    lines = big_case_file.read_text().splitlines(keepends=True)[:201]
    crime = lines[150].split(",")[1]
    lines[150] = lines[150].replace(f",{crime},", ',"' + "x\n" * 30_000 + '",', 1)  # the file's middle, quoted
    path = tmp_path / "case_file.csv"
    path.write_text("".join(lines))
    args = [str(path), "--engine", "columnar", "--skip-invalid"]
    alone = report(*args)
    assert "case_file.csv:151\"" in alone  # the row starts at line 151 (ends 30,000 on), rejected: no crime type
    spread, tasks = _tasks_run(cluster, *args)
    assert {"evaluate_range", "evaluate_shard"} <= tasks
    assert spread == alone


def test_worker_lost_mid_run_is_retried_not_double_counted(cluster, big_case_file, tmp_path):
    marker = tmp_path / "killed"
    with Client(cluster) as client:
        client.register_plugin(KillFirstShard(str(marker)), name="kill-first-shard")
        try:
            args = [str(big_case_file), "--engine", "python", "--skip-invalid"]
            spread = report(*args, "--cluster", cluster.scheduler_address)
        finally:
            client.unregister_worker_plugin("kill-first-shard")
    assert marker.exists()  # a worker really died during the run
    assert spread == report(*args)


def test_bad_cluster_address_is_a_usage_error(big_case_file):
    result = CliRunner().invoke(cli, ["assess", "--pack", str(PACK_DIR), str(big_case_file), "--cluster", "local:x"])
    assert result.exit_code == 2 and "[bad-cluster]" in result.stderr


@pytest.mark.parametrize("row_group", [500, 100_000], ids=["row-groups", "one-row-group"])
def test_parquet_partitions_give_the_same_report(cluster, big_case_file, tmp_path, row_group):
    """Partitions of whole row groups (three of 500 rows for two partitions), or of blocks of rows
    where a file has fewer row groups than partitions."""
    from .test_parquet import csv_as_parquet

    valid = tmp_path / "valid.csv"  # the big file without its bad last row: Parquet columns are typed
    valid.write_text("".join(big_case_file.read_text().splitlines(keepends=True)[:-1]))
    parquet = csv_as_parquet(valid, tmp_path / "case_file.parquet", "case_file", row_group)
    args = [str(parquet), "--engine", "columnar"]
    assert report(*args, "--cluster", cluster.scheduler_address) == report(*args)


def test_failures_on_disk_in_workers_and_client_give_the_same_report(big_case_file, monkeypatch):
    """Workers keep no failure in memory (each goes to their disk and comes back as its bytes), nor
    does the client (each partition's are put on its disk as they arrive, then merged from there)."""
    from peelcheck.evaluate import failure_spill

    args = [*PROFILE, *EXAMPLE, str(big_case_file), "--engine", "columnar", "--skip-invalid"]
    alone = report(*args)
    put: list[int] = []
    keep_putting = failure_spill.Spill.put
    monkeypatch.setattr(failure_spill.Spill, "put", lambda self, data, size: put.append(size) or keep_putting(
        self, data, size))
    monkeypatch.setenv(failure_spill.HELD_ENV, "0")  # the local cluster's workers start with it
    assert report(*args, "--cluster", "local:2") == alone
    # every failure parked on disk as it came, its partition's bytes as they were (byte ranges follow one
    # another: joined, not stored again), and the groups holding people's keys stored again, renamed
    failures = sum(len(rule["failures"]) for rule in json.loads(alone)["rules"])
    assert failures > 1000 and failures < sum(put) < 2 * failures


def test_each_worker_keeps_its_share_of_the_clients_budget_and_the_client_stores_none_again(cluster, big_case_file,
                                                                                             monkeypatch):
    """The client may hold HELD failures: each of the two partitions keeps half of them and its worker stores
    the rest, so the client puts what arrives as it came and stores none itself (it once stored the
    failures past its budget again, one after another, while the workers stood idle)."""
    from peelcheck.evaluate import failure_spill

    args = [str(big_case_file), "--engine", "python", "--skip-invalid"]
    alone = report(*args)
    failures = sum(len(rule["failures"]) for rule in json.loads(alone)["rules"])
    monkeypatch.setenv(failure_spill.HELD_ENV, str(failures // 3))
    writes: list[int] = []
    write = failure_spill.Spill.write
    monkeypatch.setattr(failure_spill.Spill, "write",
                        lambda self, group: writes.append(len(group)) or write(self, group))
    assert report(*args, "--cluster", cluster.scheduler_address) == alone
    assert failures > 1000 and writes == []


def test_parquet_partitions_find_keys_repeated_across_them(cluster, big_case_file, tmp_path):
    """A key first met in one partition and repeated in another is a repeat, placed where the whole file
    places it: the partitions' keys are put together in row order, never judged partition by partition."""
    from .test_parquet import csv_as_parquet

    lines = big_case_file.read_text().splitlines(keepends=True)[:-1]  # without the bad last row
    header, rows = lines[0], lines[1:]
    # keys K0..K699 then again: rows 701-1,299 repeat rows 1-599, across the blocks of 1,000 rows
    renamed = [f"K{i % 700}," + row.split(",", 1)[1] for i, row in enumerate(rows)]
    valid = tmp_path / "repeats.csv"
    valid.write_text(header + "".join(renamed))
    parquet = csv_as_parquet(valid, tmp_path / "case_file.parquet", "case_file")
    args = [str(parquet), "--engine", "python"]
    alone = report(*args)
    assert "'K0' at row 701 (first at row 1)" in alone and "'K598' at row 1299 (first at row 599)" in alone
    assert report(*args, "--cluster", cluster.scheduler_address) == alone


@pytest.mark.parametrize("engine", ["python", "columnar"])
def test_an_int_key_repeated_across_byte_ranges_is_found_by_its_value(cluster, tmp_path, engine):
    """7 and 0007, -0 and 0: one key each, first met in the first range and repeated in the second, found
    at the merge as one reader of the whole file finds them (DuckDB reads both ranges: every cell is
    canonical in shape)."""
    from .pack_factory import rule_spec, write_pack
    from .test_repeated_keys import many_rows, spec_keyed_by

    kind = json.loads(spec_keyed_by("int").model_dump_json(exclude_none=True))
    pack = write_pack(tmp_path / "pack", [rule_spec(0, expect={"b1": True})], kind)
    path = many_rows(tmp_path / "thing.csv", {2: "7", 100: "-0", 2900: "0007", 2950: "0"})
    args = ["assess", "--pack", str(pack), *AS_OF, "--format", "json", str(path), "--engine", engine]
    alone = CliRunner().invoke(cli, args)
    with Client(cluster) as client, get_task_stream(client) as stream:
        spread = CliRunner().invoke(cli, [*args, "--cluster", cluster.scheduler_address])
    assert "evaluate_range" in {str(task["key"]).strip("('").split("-", 1)[0] for task in stream.data}
    assert json.loads(alone.stdout)["inputs"][0]["repeated_keys"] == [
        "'0007' at line 2900 (first at line 2 as '7')", "'0' at line 2950 (first at line 100 as '-0')"]
    assert spread.stdout == alone.stdout


@pytest.mark.parametrize("engine", ["python", "columnar"])
def test_rejected_rows_are_no_repeats_across_byte_ranges(cluster, tmp_path, engine):
    """Each range notes every row's key cell; the rows rejected in any range are set apart at the merge,
    as one reader of the whole file sets its own apart: a rejected row is reported once, as rejected."""
    from peelcheck.load.csv_reader import span_cuts

    from .pack_factory import rule_spec, write_pack
    from .test_repeated_keys import rows_with_rejects, spec_keyed_by

    kind = json.loads(spec_keyed_by("int").model_dump_json(exclude_none=True))
    pack = write_pack(tmp_path / "pack", [rule_spec(0, expect={"b1": True})], kind)
    path = rows_with_rejects(tmp_path / "thing.csv", {2: "7,true", 2900: "7,maybe", 100: "6,maybe",
                                                      2901: "6,true", 200: "5,true", 2950: "05,true"})
    cuts, _ = span_cuts(path, None, 2) or ([], 0)
    assert len(cuts) == 3  # two byte ranges: lines 100 and 200 in the first, 2900 on in the second
    args = ["assess", "--pack", str(pack), *AS_OF, "--format", "json", str(path), "--engine", engine,
            "--skip-invalid"]
    alone = CliRunner().invoke(cli, args)
    with Client(cluster) as client, get_task_stream(client) as stream:
        spread = CliRunner().invoke(cli, [*args, "--cluster", cluster.scheduler_address])
    assert "evaluate_range" in {str(task["key"]).strip("('").split("-", 1)[0] for task in stream.data}
    got = json.loads(alone.stdout)
    assert [r["location"] for r in got["rejected_rows"]] == [f"{path}:100", f"{path}:2900"]
    assert got["inputs"][0]["repeated_keys"] == ["'05' at line 2950 (first at line 200 as '5')"]
    assert spread.stdout == alone.stdout


@pytest.mark.parametrize("engine", ["python", "columnar"])
def test_a_csv_keyed_by_place_is_cut_in_byte_ranges_and_finds_repeats_across_them(cluster, tmp_path, engine):
    """A file without a key column (key_from_row) is cut as any other: each range notes its rows, and a
    row repeating one of another range is found at the merge, as one reader of the whole file finds it."""
    from .test_repeated_rows import MAPPING, _csv, _many

    mapping = tmp_path / "unkeyed.mapping.yaml"
    mapping.write_text(MAPPING, encoding="utf-8")
    path = _csv(tmp_path / "unkeyed.csv", _many(3000))
    args = ["--rule", "INV-009", "--mapping", str(mapping), str(path), "--engine", engine]
    alone = report(*args)
    spread, tasks = _tasks_run(cluster, *args)
    assert "evaluate_range" in tasks and "evaluate_shard" not in tasks
    repeats = json.loads(alone)["inputs"][0]["repeated_rows"]
    assert len(repeats) > 2000 and "line 3001 repeats line 61" in repeats
    assert spread == alone
