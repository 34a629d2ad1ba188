"""Bytes to text and back: UTF-8 with or without a byte-order mark, UTF-16 and UTF-32 with one.

``decode`` says what it could not decode instead of raising; ``encode`` writes a text back in the
encoding ``decode`` found, byte-order mark included, so a fixed file keeps its encoding.
"""
from __future__ import annotations

from typing import Optional

#: Byte-order marks, longest first: the UTF-32 little-endian mark begins with UTF-16's.
_BOMS = ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
         (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
_BOM_FIRST = frozenset(bom[:1] for bom, _ in _BOMS)


def decode(data: bytes) -> tuple[Optional[str], Optional[str], str]:
    """Decode file bytes: UTF-8 (with or without BOM), or UTF-16 or UTF-32 with a BOM.

    Returns ``(text, problem, encoding)``; ``encoding`` is what ``encode`` needs to write the
    file back byte for byte as it was (``utf-8``, ``utf-8-sig``, ``utf-16-le``, ``utf-32-be``...)."""
    for bom, encoding in _BOMS if data[:1] in _BOM_FIRST else ():
        if not data.startswith(bom):
            continue
        if encoding.startswith("utf-32") and len(data) % 4:
            continue  # a UTF-16 text whose first character is U+0000
        body = data[len(bom):]
        name = encoding[:6].upper()
        if body and b"\x00" not in body and _is_utf8(body):
            # UTF-16 and UTF-32 hold zero bytes for every ASCII character, a space or line break at
            # least: this is UTF-8 behind a stray byte-order mark, which read as UTF-16 is gibberish
            return None, f"starts with a {name} byte-order mark but reads as UTF-8; re-save it in one encoding", ""
        try:
            return body.decode(encoding), None, encoding
        except UnicodeDecodeError as exc:
            return None, f"not valid {name}: {exc.reason} at byte {exc.start + len(bom)}", ""
    if b"\x00" in data[:8192]:
        return None, "binary file (contains NUL bytes); not linted", ""
    encoding = "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
    try:
        return data.decode(encoding), None, encoding
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return None, f"not valid UTF-8: byte 0x{data[exc.start]:02x} at line {line} (byte offset {exc.start}); re-save the file as UTF-8", ""


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def encode(text: str, encoding: str) -> bytes:
    """The inverse of ``decode``: the BOM goes back where it was."""
    bom = next((b for b, e in _BOMS if e == encoding), b"")
    return bom + text.encode(encoding)
