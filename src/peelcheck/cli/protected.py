"""The files a report must never overwrite that the pack brings: its own and those of every pack it extends."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from peelcheck.compile.pack_check import CompiledPack
from peelcheck.load.pack_registry import resolve_pack
from peelcheck.report.output_file import files_under


def pack_files(pack: CompiledPack, folder: Path) -> Iterator[Path]:
    """Every file of the pack folder and of the packs composed with it (found as ``extends`` finds them)."""
    yield from files_under(folder)
    for composed in pack.packs:
        base = resolve_pack(composed.id, near=folder.parent)
        if base.is_dir() and base.resolve() != folder.resolve():
            yield from files_under(base)
