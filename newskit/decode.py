"""Bytes -> text, in a fixed order: BOM, strict UTF-8, declared charset, cp1252, detection.

Statistical detection comes last because it guesses short Latin-1 text wrongly (cp1250, cp775);
cp1252 decodes every Western European scrape that is not UTF-8 and fails on few byte values.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.I)
_BINARY_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f]")


class UndecodableError(ValueError):
    """The bytes are not text in any encoding we trust."""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str


def declared_charset(data: bytes, header_charset: str | None = None) -> str | None:
    if header_charset:
        return header_charset
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii").lower() if match else None


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many control characters in the first 4 KB (and no UTF-16/32 BOM)."""
    head = data[:4096]
    if any(head.startswith(bom) for bom, _ in _BOMS):
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 9 or 13 < b < 32 and b != 27)
    return bool(head) and controls / len(head) > 0.05


def decode_bytes(data: bytes, header_charset: str | None = None) -> Decoded:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return Decoded(data.decode(encoding, errors="replace"), encoding)
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    declared = declared_charset(data, header_charset)
    if declared:
        try:
            codec = codecs.lookup(declared).name
            if codec not in ("utf-8",):
                return Decoded(data.decode(codec), codec)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return Decoded(data.decode("cp1252"), "cp1252")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise UndecodableError("no encoding decodes these bytes")
    text = str(best)
    if _BINARY_CONTROL.search(text[:4096]):
        raise UndecodableError(f"decoded as {best.encoding} but full of control characters")
    return Decoded(text, best.encoding)
