"""Every quote in a pack is checked against the text of the document it cites.

A rule is only as trustworthy as its trace to the report: a quote that was paraphrased, mistyped
or taken from another document makes that trace false. Given the folder that holds the source
texts (each document's ``file:`` in pack.yaml), each rule's ``source.quote`` and each finding's
``quote`` must appear in its document. Whitespace, typographic quotes and dashes are compared
loosely, and "..." (or "…") stands for words left out, in order. When a quote is not found, the
diagnostic says how far it matches and where the document goes its own way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from peelcheck.errors import Diagnostic, Location
from peelcheck.load.pack_loader import LoadedPack
from peelcheck.positions import locate

_TYPOGRAPHY = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-",
                             "\u2014": "-", "\u00a0": " "})
_GAP = re.compile(r"\.\.\.|\u2026")
_SPACE = re.compile(r"\s+")


def normal_text(text: str) -> str:
    """Text with typographic quotes and dashes made plain and runs of spaces made one."""
    return _SPACE.sub(" ", text.translate(_TYPOGRAPHY)).strip()


_normal = normal_text


@dataclass
class SourceText:
    """A document's text, normalised for searching, with a way back to its line numbers."""

    file: str
    text: str
    line_starts: list[int]

    @classmethod
    def read(cls, path: Path) -> SourceText:
        parts, starts, offset = [], [], 0
        for line in path.read_text(encoding="utf-8-sig").splitlines():
            starts.append(offset)  # a blank line starts where the next line with words does
            words = _normal(line)
            if words:
                parts.append(words)
                offset += len(words) + 1
        return cls(path.name, " ".join(parts), starts or [0])

    def line_of(self, offset: int) -> int:
        low, high = 0, len(self.line_starts) - 1
        while low < high:  # the last line starting at or before offset
            middle = (low + high + 1) // 2
            if self.line_starts[middle] <= offset:
                low = middle
            else:
                high = middle - 1
        return low + 1

    def find(self, quote: str) -> int | None:
        """Where the quote starts in the text, or None; "..." matches any run of words, in order."""
        parts = [part.strip() for part in _GAP.split(_normal(quote)) if part.strip()]
        start, position = None, 0
        for part in parts:
            found = self.text.find(part, position)
            if found < 0:
                return None
            start = found if start is None else start
            position = found + len(part)
        return start

    def divergence(self, quote: str) -> tuple[int, str, str] | None:
        """For a quote that is not found: the longest run of its first words that is, as
        (document line, the quote's words from there, the document's words from there)."""
        words = _normal(_GAP.split(quote)[0]).split(" ")
        low, high = 0, len(words)
        while low < high:  # most leading words found together
            middle = (low + high + 1) // 2
            if self.text.find(" ".join(words[:middle])) >= 0:
                low = middle
            else:
                high = middle - 1
        if low < 3:  # too short to be a lead
            return None
        prefix = " ".join(words[:low])
        at = self.text.find(prefix)
        theirs = self.text[at + len(prefix):].split(" ")
        return self.line_of(at), " ".join(words[low:low + 8]), " ".join(w for w in theirs[:9] if w)


def check_quotes(loaded: LoadedPack, sources: Path) -> list[Diagnostic]:
    """A diagnostic for every quote not found in its document, and for documents held neither in ``sources``
    nor in the folder of the pack that declares them."""
    if loaded.pack is None:
        return []
    pack_path = str(loaded.root / "pack.yaml")
    texts: dict[str, SourceText] = {}
    out: list[Diagnostic] = []
    for i, document in enumerate(loaded.pack.documents):
        where = locate(loaded.raw.get(pack_path), ("documents", i), Location(pack_path, 1, 1))
        if document.file is None:
            out.append(Diagnostic("source-not-held", f"document {document.id} names no file, so its quotes "
                                  "cannot be checked", where, hint="add `file:` with the text's file name"))
            continue
        path = sources / document.file
        own = loaded.document_dirs.get(document.id)
        if not path.is_file() and own is not None and (own / document.file).is_file():
            path = own / document.file
        try:
            texts[document.id] = SourceText.read(path)
        except (OSError, UnicodeDecodeError) as exc:
            out.append(Diagnostic("source-not-held", f"cannot read {path} for document {document.id}: "
                                  f"{getattr(exc, 'strerror', None) or exc}", where))
    for document_id, quote, where in quotes(loaded):
        source = texts.get(document_id)
        if source is not None and source.find(quote) is None:
            out.append(_not_found(source, quote, where))
    return out


def _not_found(source: SourceText, quote: str, where: Location) -> Diagnostic:
    shown = _normal(quote)
    shown = shown if len(shown) <= 60 else shown[:57] + "..."
    lead = source.divergence(quote)
    hint = (f"it matches {source.file} up to line {lead[0]}, then the quote has \"{lead[1]}\" where the "
            f"document has \"{lead[2]}\"" if lead else f"no passage of {source.file} starts like it")
    return Diagnostic("quote-not-in-source", f"quote not found in {source.file}: \"{shown}\"", where, hint=hint)


def quotes(loaded: LoadedPack) -> list[tuple[str, str, Location]]:
    """(document id, quote, where the quote is written) for every rule and finding."""
    out = []
    for rule in loaded.rules:
        written = loaded.raw.get(rule.path)
        if rule.spec.source is None or not isinstance(written, dict) or "source" not in written:
            continue  # a core rule quoting nothing itself (it may carry a finding's quote, checked there)
        where = locate(written, ("source", "quote"), Location(rule.path, 1, 1), at_value=True)
        out.append((rule.spec.source.document, rule.spec.source.quote, where))
    registries = {where.path for where in loaded.finding_paths.values()}
    for path, document in loaded.raw.items():
        if path not in registries or not isinstance(document, dict):
            continue
        for i, item in enumerate(document.get("findings") or []):
            if isinstance(item, dict) and isinstance(item.get("quote"), str) and isinstance(item.get("document"), str):
                where = locate(document, ("findings", i, "quote"), Location(path, 1, 1), at_value=True)
                out.append((item["document"], item["quote"], where))
    return out
