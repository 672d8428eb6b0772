"""Rows of bench/pack's record type (peer-bench's case file, 16 columns), made here: tests need no ../shared."""

from __future__ import annotations

from .conftest import REPO

BENCH_PACK = REPO / "bench" / "pack"  # no breakdowns, every rule in SQL: DuckDB reads a large enough file itself

BENCH_HEADER = ["case_ref", "crime_type", "serious", "domestic_abuse", "victim_withdrew_support", "dvpn_considered",
                "investigation_plan", "supervised_effectively", "victim_needs_assessment", "recorded_at",
                "dash_submitted_at", "attended_at", "caution_given_at", "victim_views_recorded_at",
                "victim_update_dates", "outcome_code"]


def bench_rows(first: int, count: int) -> list[list[str]]:
    """Rows of bench/pack's record type, some failing each rule, some cells blank (not recorded)."""
    flag = ["true", "false", ""]
    return [[f"CR{i:05d}", ["theft", "robbery", "burglary"][i % 3], flag[i % 2], flag[(i // 2) % 2],
             flag[i % 3], flag[i % 5 % 3], flag[i % 7 % 3], flag[i % 4 % 2], flag[i % 11 % 3],
             f"2023-01-{1 + i % 28:02d}T10:00:00", f"2023-01-{1 + i % 28:02d}T{11 + i % 13}:00:00",
             f"2023-01-{1 + i % 28:02d}T10:30:00", "" if i % 6 else f"2023-02-{1 + i % 28:02d}T09:00:00",
             "" if i % 12 else f"2023-02-{1 + i % 27:02d}T09:00:00", f"2023-02-01;2023-0{2 + i % 3}-15",
             str(i % 22 + 1)] for i in range(first, first + count)]
