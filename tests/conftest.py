"""Shared fixtures: the repository's pack, compiled once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from peelcheck.compile.pack_check import CompiledPack, load_compiled_pack

REPO = Path(__file__).resolve().parent.parent
CORE_DIR = REPO / "rules" / "peel-core"  # the national core pack
PACK_DIR = REPO / "rules" / "west-mercia"  # the West Mercia overlay (extends the core): what tests assess with
EXAMPLES = REPO / "examples"


@pytest.fixture(scope="session")
def peel_pack() -> CompiledPack:
    return load_compiled_pack(PACK_DIR)
