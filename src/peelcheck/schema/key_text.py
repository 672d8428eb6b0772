"""Characters a record's key may not hold: those that do not show, so that two keys differing by one look alike.

A key names its record in findings and finds the records a file repeats. ``WM21-CF-0001`` and the same
key after a byte-order mark (two exports joined end to end), before a NUL, or with a zero-width space
inside are keys a person cannot tell apart: counted as two, a repeated record would hide and a follow-up
list would show one key twice. Such a key is an error at its cell, like any cell that cannot be read.

The characters: Unicode's controls (C0, DEL, C1: general category Cc) and its default-ignorable code
points (Default_Ignorable_Code_Point: those a renderer shows as nothing, such as zero-width spaces and
joiners, the word joiner, the byte-order mark, bidirectional marks, variation selectors and tags). The
soft hyphen is one of them and is kept in: it shows only where a line happens to break, so a key holding
one looks like the key without it, and no reference needs it. Spaces around a key are not counted: they
are dropped on reading, so a tab or carriage return at a key's end names no other record. Only keys are
checked: a name or a note may hold any of these (text pasted from a word processor often does).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from pydantic_core import PydanticCustomError

# (first, last) code points: Cc, then Default_Ignorable_Code_Point (Unicode 15, DerivedCoreProperties.txt)
_RANGES = ((0x00, 0x1F), (0x7F, 0x9F),
           (0xAD, 0xAD), (0x34F, 0x34F), (0x61C, 0x61C), (0x115F, 0x1160), (0x17B4, 0x17B5), (0x180B, 0x180F),
           (0x200B, 0x200F), (0x202A, 0x202E), (0x2060, 0x206F), (0x3164, 0x3164), (0xFE00, 0xFE0F),
           (0xFEFF, 0xFEFF), (0xFFA0, 0xFFA0), (0xFFF0, 0xFFF8), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A),
           (0xE0000, 0xE0FFF))
# the same as a regular-expression character class's contents: Python's escapes, and RE2's (DuckDB's)
UNSEEN_CLASS = "".join(f"\\U{first:08x}-\\U{last:08x}" for first, last in _RANGES)
UNSEEN_CLASS_RE2 = "".join(f"\\x{{{first:x}}}-\\x{{{last:x}}}" for first, last in _RANGES)
_UNSEEN = re.compile(f"[{UNSEEN_CLASS}]")

# the spaces pydantic drops around text (Unicode's White_Space): \x1c-\x1f, which str.strip drops too, it keeps
_SPACES = "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a" \
          "\u2028\u2029\u202f\u205f\u3000"
KEY_ERROR = "unseen_character_in_key"  # the pydantic error's type, told apart from other bad cells by it
_NAMES = {"\ufeff": "byte-order mark", "\x00": "NUL", "\x7f": "DEL"}


def shows_all(text: str) -> bool:
    """Whether ``text`` (a chunk's key cells joined, tested at once in C) holds no character that does not show.
    ASCII text, almost every key, is tested as printable (its only unseen characters are its controls, the only
    ASCII that is not), four times as fast as the search other text needs."""
    if text.isascii():
        return text.isprintable()
    return _UNSEEN.search(text) is None


def written_out(text: str) -> str:
    """``text`` with each character that does not show written as its escape (``\\u200b``): a file's name in
    the keys made from its rows' places, which would otherwise be refused as any key holding one is."""
    return _UNSEEN.sub(lambda found: ascii(found.group())[1:-1], text)


def _named(character: str) -> str:
    name = _NAMES.get(character) or unicodedata.name(character, "").lower() or "a control character"
    return f"U+{ord(character):04X} ({name})"


def unseen_named(text: str) -> str | None:
    """What ``text`` (a key, without the spaces dropped around it) holds that does not show, each character
    named (``a character that does not show, U+200B (zero width space)``); None where it holds none."""
    found = _UNSEEN.findall(text.strip(_SPACES))
    if not found:
        return None
    named = list(map(_named, dict.fromkeys(found)))
    return f"a character that does not show, {named[0]}" if len(named) == 1 else \
        f"characters that do not show, {', '.join(named)}"


def strip_key(text: str) -> str:
    """A key as it is read: without the spaces around it (those pydantic drops around a record's text)."""
    return text.strip(_SPACES)


def unseen_in_key(value: Any) -> Any:
    """A key's value as it is, unless its text (without the spaces dropped around it) holds a character
    that does not show: then a pydantic error naming each such character."""
    if isinstance(value, str) and (what := unseen_named(value)):
        raise PydanticCustomError(KEY_ERROR, "the key holds {what}: it would look like another key and name "
                                  "another record", {"what": what})
    return value


__all__ = ["KEY_ERROR", "UNSEEN_CLASS", "UNSEEN_CLASS_RE2", "shows_all", "strip_key", "unseen_in_key", "unseen_named",
           "written_out"]
