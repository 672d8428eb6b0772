"""Measures durable-rules' limits on this machine and prints each one (docs/durable-envelope.md).

Each probe runs the bare engine (no peelcheck code) in a forked process with a timeout, so a
probe that hangs is reported as a hang instead of stopping the script. Usage:

    python bench/durable_envelope.py            # every probe, about a minute on two cores
"""

from __future__ import annotations

import json
import multiprocessing as mp
import sys
import time
from collections.abc import Callable
from typing import Any

import durable_rules_engine as engine

HANG = "hang"
TIMEOUT = 5.0
_names = iter(range(10**9))


def _matches(definition: dict[str, Any], facts: list[dict[str, Any]]) -> list[str]:
    """Rule names that fired on the facts (one entry per match)."""
    handle = engine.create_ruleset(f"probe{next(_names)}", json.dumps(definition))
    engine.assert_facts(handle, json.dumps(facts))
    fired, started = [], engine.start_action(handle)
    while started:
        _, batch, action = started
        while batch:
            result = json.loads(batch)
            fired += [name for name, matches in result.items() for _ in (matches if isinstance(matches, list) else [1])]
            batch = engine.complete_and_start_action(handle, action)
        started = engine.start_action(handle)
    engine.delete_ruleset(handle)
    return fired


def _rule(cond: dict[str, Any]) -> dict[str, Any]:
    return {"all": [{"m": {"$and": [{"T": 1}, cond]}}], "cap": 1000}


def _child(fn: Callable[[Any], Any], arg: Any, queue: Any) -> None:
    try:
        queue.put(("ok", fn(arg)))
    except Exception as exc:  # the engine's errors: reported, not raised
        queue.put(("error", f"{type(exc).__name__}: {exc}"[:120]))


def guarded(fn: Callable[[Any], Any], arg: Any, timeout: float = TIMEOUT) -> Any:
    """fn(arg) in a forked process: its result, ("error", text), or HANG after ``timeout`` seconds."""
    queue: Any = mp.get_context("fork").Queue()
    proc = mp.get_context("fork").Process(target=_child, args=(fn, arg, queue))
    proc.start()
    proc.join(timeout)
    if proc.is_alive():
        proc.kill()
        proc.join()
        return HANG
    status, value = queue.get() if not queue.empty() else ("error", f"exit {proc.exitcode}")
    return value if status == "ok" else ("error", value)


def first_bad(ok: Callable[[int], bool], low: int, high: int) -> int:
    """The smallest n in (low, high] for which ok(n) is False, given ok(low) and not ok(high)."""
    while high - low > 1:
        mid = (low + high) // 2
        low, high = (mid, high) if ok(mid) else (low, mid)
    return high


# --- probes: each returns True when the engine answers correctly for size n ---

def string_equal_ok(n: int) -> bool:
    """A fact string 'hello' + n 'x' must not equal the literal 'hello'."""
    fired = _matches({"eq": _rule({"s": "hello"})}, [{"id": "0", "T": 1, "s": "hello" + "x" * n}])
    return fired == []


def literal_ok(n: int) -> bool:
    """A literal 'hello' + n 'x' must not equal the fact string 'hello'."""
    fired = _matches({"eq": _rule({"s": "hello" + "x" * n})}, [{"id": "0", "T": 1, "s": "hello"}])
    return fired == []


def integer_ok(n: int) -> bool:
    """n must not satisfy 'at most 2**63 - 1' once n is larger than that."""
    fired = _matches({"le": _rule({"$lte": {"i": 2**63 - 1}})}, [{"id": "0", "T": 1, "i": n}])
    return (fired == ["le"]) == (n <= 2**63 - 1)


def int_float_ok(n: int) -> bool:
    """An int field compared with a float field holding float(n) - 1 ... : n > f must hold."""
    f = float(n) if float(n) < n else float(n) - 2.0 ** max(0, n.bit_length() - 53)
    fired = _matches({"gt": _rule({"$gt": {"i": {"$m": "f"}}})}, [{"id": "0", "T": 1, "i": n, "f": f}])
    return (fired == ["gt"]) == (n > f)


def in_list_ok(n: int) -> bool:
    """An 'in' list of n values (as one $or), asked about a value not in it."""
    cond = {"$or": [{"v": i} for i in range(n)]}
    return guarded(lambda _: _matches({"in": _rule(cond)}, [{"id": "0", "T": 1, "v": -1}]), None) == []


def rules_ok(n: int) -> bool:
    """n rules, each testing a different field first, under one discriminator."""
    definition = {f"r{i}": _rule({f"k{i}": 1}) for i in range(n)}
    return guarded(lambda _: _matches(definition, [{"id": "0", "T": 1, "k0": 1}]), None) == ["r0"]


def nex_rules_ok(n: int) -> bool:
    """n rules each testing that a different field is absent."""
    definition = {f"r{i}": _rule({"$nex": {f"k{i}": 1}}) for i in range(n)}
    result = guarded(lambda _: len(_matches(definition, [{"id": "0", "T": 1}])), None)
    return bool(result == n)


def properties_ok(n: int) -> bool:
    """A fact with n keys besides id and the discriminator must arrive."""
    fact = {"id": "0", "T": 1, **{f"k{i}": i for i in range(n)}}
    return guarded(lambda _: _matches({"seen": _rule({"$ex": {"k0": 1}})}, [fact]), None) == ["seen"]


def or_groups_ok(n: int) -> bool:
    """A condition of n nested two-way $or groups (each group costs expressions in one rule)."""
    cond: dict[str, Any] = {"a0": 1}
    for i in range(1, n + 1):
        cond = {"$or": [cond, {f"a{i}": 1}]}
    return guarded(lambda _: _matches({"r": _rule(cond)}, [{"id": "0", "T": 1, "a0": 1}]), None) == ["r"]


def matching_tests_ok(n: int) -> bool:
    """A fact passing n ordering tests below one node at once (each rule: v >= k)."""
    definition = {f"r{k}": _rule({"$gte": {"v": k}}) for k in range(n)}
    return guarded(lambda _: len(_matches(definition, [{"id": "0", "T": 1, "v": n}])), None) == n


def timed(fn: Callable[[int], bool], n: int) -> str:
    start = time.perf_counter()
    ok = fn(n)
    return f"{'ok' if ok else 'WRONG/FAILED'} in {time.perf_counter() - start:.2f} s"


def main() -> None:
    report: list[tuple[str, Any]] = []

    def say(name: str, value: Any) -> None:
        report.append((name, value))
        print(f"{name:<58} {value}", flush=True)

    say("string: first extra length judged equal ('hello'+n x)", first_bad(string_equal_ok, 1, 2**17))
    say("string literal: first extra length judged equal", first_bad(literal_ok, 1, 2**17))
    say("integer: 2**63-1 at_most 2**63-1", "ok" if integer_ok(2**63 - 1) else "WRONG")
    say("integer: 2**63 at_most 2**63-1 (must be false)", "ok" if integer_ok(2**63) else "WRONG (met)")
    say("integer: 2**64 at_most 2**63-1 (must be false)", "ok" if integer_ok(2**64) else "WRONG (met)")
    say("int field vs float field: first bit length compared wrongly",
        next((b for b in range(50, 64) if not int_float_ok(2**b + 1)), "none below 64"))
    say("in-list of 510 values (one $or)", timed(in_list_ok, 510))
    say("in-list: first size that hangs or fails", first_bad(in_list_ok, 16, 600))
    say("rules with distinct first tests: first count that fails", first_bad(rules_ok, 16, 700))
    say("rules testing absence ($nex): first count that fails", first_bad(nex_rules_ok, 8, 300))
    say("fact keys (besides id, discriminator): first count lost", first_bad(properties_ok, 8, 400))
    say("nested two-way $or groups in one rule: first count refused", first_bad(or_groups_ok, 1, 40))
    say("tests one fact passes at once below one node: first count failing",
        first_bad(matching_tests_ok, 8, 200))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
