"""Running one chunk of facts through a durable-rules ruleset, in this process or in a child.

This module imports nothing of peelcheck's: ``python -m peelcheck.evaluate.durable_run`` is the
child process ``durable_worker`` starts, which holds the rulesets and runs the chunks the parent
sends while the parent reads and evaluates the next chunk (the extension never releases the GIL,
so only a second process can overlap it). The parent builds the facts and compares every answer
with the python engine; this side asserts, drains, retracts, and checks delivery.
"""

from __future__ import annotations

import functools
import itertools
import json
import os
import pickle
import re
import signal
import sys
from collections.abc import Iterator
from typing import Any, BinaryIO

try:  # durable-rules does not import on Python 3.13; callers fall back to the python engine
    import durable_rules_engine as _loaded
except ImportError:  # pragma: no cover - exercised only where durable-rules is missing
    _loaded = None
engine: Any = _loaded

OUTCOME_CODES = ("C", "N", "R", "A")
SEEN = "seen"  # the rule every fact matches (compile.durable.SEEN)
# Every match in a result batch, with its fact id when the echo has the shape we read ("" otherwise):
# one scan finds both, so a match in any other shape is noticed, never skipped.
_MATCH_ID = re.compile(r'\{"m":(?:\{"id":"(\d+)")?')
_RULE_NAME = re.compile(r'^\{"([^"]+)":')
Matches = dict[str, set[str]]  # outcome code -> the ids of the facts with that outcome


class Refused(Exception):
    """durable-rules raised an error of its own on a chunk (such as 303, its alpha walk's stack of
    64 nodes): the session is unusable, and its rules are evaluated otherwise."""


class Fault(Exception):
    """durable-rules answered wrongly (a fact lost or delivered twice, two outcomes for one record)."""


@functools.lru_cache(maxsize=4)
def _ids(size: int) -> frozenset[str]:
    return frozenset(map(str, range(size)))


@functools.lru_cache(maxsize=4)
def _retraction(size: int) -> str:
    """Retraction finds a fact by its id alone (the engine parses the rest and ignores it)."""
    return "[" + ",".join(f'{{"id":"{i}"}}' for i in range(size)) + "]"


def run_chunk(handle: int, facts: bytes, size: int, spilled: list[int], meta: dict[str, Any]) -> list[Matches]:
    """Per rule, the ids of the records of a chunk with each outcome (those matching none of a rule's
    durable rules have its unnamed outcome; spilled records, not sent, are in none). ``meta``: the
    ruleset's ``names`` (durable rule -> (rule index, code)), ``rule_ids`` and ``unnamed``; ``facts``:
    their JSON text in UTF-8 (b"" for none)."""
    found: list[Matches] = [{code: set() for code in OUTCOME_CODES} for _ in meta["rule_ids"]]
    arrived: list[str] = []
    if facts:
        try:
            result = engine.assert_facts(handle, facts.decode())
        except Exception as exc:  # durable_rules_engine.error, e.g. "error code: 303"
            raise Refused(str(exc)) from exc
        if result[0] not in (0, 1):  # 1: some fact matched no rule, which is expected here
            raise Fault(f"assert_facts returned status {result[0]}")
        for batch in _drain(handle):
            _record(batch, meta["names"], found, arrived)
        engine.retract_facts(handle, _retraction(size))
    sent = _check_arrived(arrived, size, spilled)
    for index, codes in enumerate(found):
        named = set().union(*codes.values())
        if sum(map(len, codes.values())) != len(named):
            raise Fault(f"a record of a chunk got two outcomes for rule {meta['rule_ids'][index]}: {_twice(codes)}")
        if not named <= sent:
            raise Fault(f"durable-rules matched facts it was not given: {sorted(named - sent)[:5]}")
        codes[meta["unnamed"][index]] = set(sent - named)
    return found


def _check_arrived(arrived: list[str], size: int, spilled: list[int]) -> frozenset[str]:
    """The ids of the facts sent, each of which must have come back exactly once through SEEN."""
    unique = set(arrived)
    if len(unique) != len(arrived):
        raise Fault(f"durable-rules delivered {len(arrived) - len(unique)} facts of a chunk twice")
    expected = _ids(size) if not spilled else _ids(size) - {str(i) for i in spilled}
    if unique != expected:
        raise Fault(f"durable-rules lost {len(expected - unique)} of {size} facts in a chunk")
    return expected


def _drain(handle: int) -> Iterator[str]:
    started = engine.start_action(handle)
    while started:
        _state, batch, action = started
        while batch:
            yield batch
            batch = engine.complete_and_start_action(handle, action)
        started = engine.start_action(handle)


def _record(batch: str, names: dict[str, tuple[int, str]], found: list[Matches], arrived: list[str]) -> None:
    head = _RULE_NAME.match(batch)
    name = head.group(1) if head else None
    if name is None or (name != SEEN and name not in names):
        raise Fault(f"unexpected result from durable-rules: {batch[:80]!r}")
    ids = _MATCH_ID.findall(batch)
    if "" in ids:  # an echo in another shape: decode it properly
        ids = [m["m"]["id"] for m in json.loads(batch)[name]]
    if name == SEEN:
        arrived.extend(ids)
        return
    index, code = names[name]
    found[index][code].update(ids)  # a set: a rule with an $or can match one fact twice


def _twice(codes: Matches) -> str:
    """Which record matched two outcomes of a rule, and which (for the error)."""
    for first, second in itertools.combinations(codes, 2):
        for text in codes[first] & codes[second]:
            return f"record {text}: outcomes {first} and {second}"
    return "unknown"


def _answer(request: tuple[Any, ...], metas: dict[int, dict[str, Any]]) -> Any:
    """The child's answer to one request of ``durable_worker``."""
    kind = request[0]
    if kind == "ping":
        return engine is not None
    if kind == "create":
        _, name, definition, meta = request
        handle = engine.create_ruleset(name, definition)
        metas[handle] = meta
        return handle
    if kind == "delete":
        engine.delete_ruleset(request[1])
        metas.pop(request[1], None)
        return None
    answers: list[tuple[str, Any]] = []
    for handle, facts, size, spilled in request[1]:
        try:
            answers.append(("ok", run_chunk(handle, facts, size, spilled, metas[handle])))
        except Refused as exc:
            answers.append(("refused", str(exc)))
        except Fault as exc:
            answers.append(("fault", str(exc)))
    return answers


def serve(requests: BinaryIO, answers: BinaryIO) -> None:
    """Answer pickled requests until the parent closes the pipe: ("ok", answer) or ("error", text)."""
    metas: dict[int, dict[str, Any]] = {}
    while True:
        try:
            request = pickle.load(requests)
        except EOFError:
            return
        try:
            reply: tuple[str, Any] = ("ok", _answer(request, metas))
        except Exception as exc:  # noqa: BLE001 - every failure goes back to the parent, which raises it
            reply = ("error", f"{type(exc).__name__}: {exc}")
        pickle.dump(reply, answers, protocol=pickle.HIGHEST_PROTOCOL)
        answers.flush()


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle; its pipe closing ends this
    _answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything the extension prints goes to stderr, never into the answers
    serve(sys.stdin.buffer, _answers)
