"""Shared fixtures: the repository's pack, compiled once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from peelcheck.compile.pack_check import CompiledPack, load_compiled_pack

REPO = Path(__file__).resolve().parent.parent
PACK_DIR = REPO / "rules"
EXAMPLES = REPO / "examples"


@pytest.fixture(scope="session")
def peel_pack() -> CompiledPack:
    return load_compiled_pack(PACK_DIR)
