"""A byte range of a CSV file as DuckDB reads it: the file's header line, then the range's bytes.

DuckDB reads whole files; a cluster's partition should read only its own bytes. So the range is
given to DuckDB as a file of its own, ``peelcheck-range://PATH@HEADER-START-END`` (the header's
bytes, then bytes START to END of the file at PATH), through an fsspec filesystem registered on
the connection. DuckDB reads it 8 MB at a time, so the Python between costs little. fsspec comes
with dask, as clusters do.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

PROTOCOL = "peelcheck-range"


def range_url(path: Path, header: int, start: int, end: int) -> str:
    return f"{PROTOCOL}://{path.resolve()}@{header}-{start}-{end}"


def _parts(url: str) -> tuple[str, int, int, int]:
    real, numbers = url.split("://", 1)[-1].rsplit("@", 1)
    header, start, end = map(int, numbers.split("-"))
    return real, header, start, end


def register(connection: Any) -> None:
    """Let ``connection`` read range_url files (once per database: a filesystem is its database's)."""
    if PROTOCOL not in connection.list_filesystems():
        connection.register_filesystem(_filesystem())


def _filesystem() -> Any:
    from fsspec import AbstractFileSystem
    from fsspec.spec import AbstractBufferedFile

    class RangeFile(AbstractBufferedFile):  # type: ignore[misc]
        def __init__(self, fs: Any, url: str) -> None:
            real, self.header, self.start_at, end = _parts(url)
            self.handle = open(real, "rb")  # noqa: SIM115 (closed with the file)
            super().__init__(fs, url, mode="rb", size=self.header + end - self.start_at, block_size=8_000_000,
                             cache_type="none")

        def _fetch_range(self, start: int, end: int) -> bytes:
            """Bytes ``start`` to ``end`` of the header and range, as one file."""
            out = b""
            if start < self.header:
                self.handle.seek(start)
                out, start = self.handle.read(min(end, self.header) - start), self.header
            if end > start:
                self.handle.seek(self.start_at + start - self.header)
                out += self.handle.read(end - start)
            return out

        def close(self) -> None:
            self.handle.close()
            super().close()

    class RangeFiles(AbstractFileSystem):  # type: ignore[misc]
        protocol = PROTOCOL

        def _open(self, path: str, mode: str = "rb", **_: Any) -> Any:
            return RangeFile(self, path)

        def info(self, path: str, **_: Any) -> dict[str, Any]:
            _real, header, start, end = _parts(path)
            return {"name": path, "size": header + end - start, "type": "file"}

        def ls(self, path: str, detail: bool = True, **_: Any) -> list[Any]:
            return [self.info(path)] if detail else [path]

    return RangeFiles()


__all__ = ["PROTOCOL", "range_url", "register"]
