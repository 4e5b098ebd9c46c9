"""Body paragraphs and sentences with character offsets into the article body.

Sentence boundaries: after . ! ? (and closing quotes or brackets behind them) followed by
whitespace and a capital letter, digit or opening quote; not after abbreviations ("Dr.", "Jan.",
"U.S.", single initials) and not inside a balanced quotation, so a quote of several sentences
stays one sentence with its attribution. A paragraph without final stop (a headline) is one sentence.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field

PARAGRAPH_SEPARATOR = "\n\n"

_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sr jr st mt ft gen col lt sgt capt cmdr adm gov sen rep rev hon pres supt insp det
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun
    no nos vol vols fig figs p pp ed eds est approx dept univ assn bros co corp inc ltd plc llc vs etc al
    ave blvd rd hwy mass calif fla ill penn conn ariz colo wash mich minn tenn ind okla wis ore nev
    e.g i.e a.m p.m u.s u.k u.n e.u d.c n.y l.a
    ca bzw usw vgl evtl ggf inkl zzgl nr mio mrd str abs z.b u.a d.h s.o sra sres av""".split()
)
# candidate end: terminal punctuation, optional closing quotes/brackets, whitespace, then a sentence start
_CANDIDATE = re.compile(r"([.!?…]+)([\"”’')\]]*)(\s+)(?=[\"“‘'(\[]?[A-Z0-9À-ÖØ-ÞА-Я])")
_CLOSING_DOUBLE = re.compile(r"[\"”]")
_WORD_BEFORE = re.compile(r"([\w.]+)$")
_INITIALISM = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]?$")
_MAX_QUOTE_CHARS = 600  # beyond this an open quote is treated as unbalanced
_MAX_WORD_CHARS = 64  # an abbreviation or initialism is shorter than this


@dataclass
class Segmented:
    body: str
    paragraphs: list[tuple[int, int]] = field(default_factory=list)  # (start, end) per paragraph
    sentences: list[tuple[int, int, int]] = field(default_factory=list)  # (paragraph_index, start, end)


def _is_abbreviation(text: str, dot_at: int) -> bool:
    # the word is looked for in a short window: searching from 0 made long paragraphs quadratic
    match = _WORD_BEFORE.search(text, max(0, dot_at - _MAX_WORD_CHARS), dot_at)
    if not match:
        return False
    word = match.group(1).rstrip(".").lower()
    if word in _ABBREVIATIONS or len(word) == 1 and word.isalpha():
        return True
    return bool(_INITIALISM.fullmatch(match.group(1) + ".")) and "." in match.group(1)


class _Quotes:
    """Positions of the double quotes of one paragraph, so each lookup is a bisect, not a scan
    from the start (a scan per candidate made long paragraphs quadratic)."""

    def __init__(self, text: str) -> None:
        self.opening = [i for i, c in enumerate(text) if c == "“"] if "“" in text else []
        self.closing = [i for i, c in enumerate(text) if c == "”"] if "”" in text else []
        self.straight = [m.start() for m in re.finditer('"', text)]

    @staticmethod
    def _first_from(positions: list[int], start: int) -> int:
        i = bisect_left(positions, start)
        return positions[i] if i < len(positions) else -1

    def inside(self, position: int) -> bool:
        """True when `position` lies inside a curly or straight double quotation closed later in the text."""
        i = bisect_left(self.opening, position) - 1
        if i >= 0:
            opened = self.opening[i]
            closed_before = self._first_from(self.closing, opened)
            if closed_before == -1 or closed_before >= position:
                closing = self._first_from(self.closing, position)
                return closing != -1 and closing - opened <= _MAX_QUOTE_CHARS
        k = bisect_left(self.straight, position)
        if k % 2 == 1:
            closing = self._first_from(self.straight, position)
            return closing != -1 and closing - self.straight[k - 1] <= _MAX_QUOTE_CHARS
        return False


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of one paragraph; spans are stripped of surrounding whitespace."""
    spans = []
    start = 0
    quotes = _Quotes(text)
    for match in _CANDIDATE.finditer(text):
        if match.group(1) == "." and _is_abbreviation(text, match.start(1)):
            continue
        if not _CLOSING_DOUBLE.search(match.group(2)) and quotes.inside(match.start(1)):
            continue
        end = match.start(3)
        if text[start:end].strip():
            spans.append((start, end))
        start = match.end(3)
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return [(a + len(text[a:b]) - len(text[a:b].lstrip()), b) for a, b in spans]


def segment(paragraphs: list[str]) -> Segmented:
    """The body (paragraphs joined by a blank line) with paragraph and sentence offsets into it."""
    body = PARAGRAPH_SEPARATOR.join(paragraphs)
    seg = Segmented(body=body)
    pos = 0
    for index, text in enumerate(paragraphs):
        seg.paragraphs.append((pos, pos + len(text)))
        seg.sentences.extend((index, pos + a, pos + b) for a, b in sentence_spans(text))
        pos += len(text) + len(PARAGRAPH_SEPARATOR)
    return seg
