"""Unicode and whitespace normalisation of extracted text, and the folded form used for hashing."""

from __future__ import annotations

import re
import unicodedata

from ftfy import fix_encoding
from ftfy.badness import is_bad

_WS = re.compile(r"\s+")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
# a Latin-1 letter followed by a cp1252 continuation character: how UTF-8 read as cp1252 looks
_MOJIBAKE_HINT = re.compile("[\u00c2-\u00c6\u00d0\u00d1\u00e2-\u00e5\u00ef\u00f0][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]")
_QUOTE_FOLD = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'", "‚": "'", "–": "-", "—": "-"})


def repair_mojibake(text: str) -> str:
    """Undo UTF-8-read-as-cp1252 style mojibake, only when ftfy judges the text clearly broken.

    `fix_encoding` alone (not `fix_text`) so curly quotes and other legitimate characters are kept.
    """
    return fix_encoding(text) if _MOJIBAKE_HINT.search(text) and is_bad(text) else text


def normalise_text(text: str) -> str:
    """NFC, mojibake repaired, zero-width characters dropped, whitespace runs collapsed to one space."""
    text = repair_mojibake(unicodedata.normalize("NFC", text))
    return _WS.sub(" ", _ZERO_WIDTH.sub("", text)).strip()


def fold_for_hash(text: str) -> str:
    """Case, quotes, dashes and whitespace folded: two copies of one paragraph fold to the same string."""
    return normalise_text(unicodedata.normalize("NFKC", text)).lower().translate(_QUOTE_FOLD)
