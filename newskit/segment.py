"""Body paragraphs and sentences with character offsets into the article body.

Sentence boundaries: after . ! ? (and closing quotes or brackets behind them) followed by
whitespace and a capital letter, digit or opening quote; not after abbreviations ("Dr.", "Jan.",
"U.S.", single initials) and not inside a balanced quotation, so a quote of several sentences
stays one sentence with its attribution. A paragraph without final stop (a headline) is one sentence.
"""

from __future__ import annotations

import re
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


@dataclass
class Segmented:
    body: str
    paragraphs: list[tuple[int, int]] = field(default_factory=list)  # (start, end) per paragraph
    sentences: list[tuple[int, int, int]] = field(default_factory=list)  # (paragraph_index, start, end)


def _is_abbreviation(text: str, dot_at: int) -> bool:
    match = _WORD_BEFORE.search(text, 0, dot_at)
    if not match:
        return False
    word = match.group(1).rstrip(".").lower()
    if word in _ABBREVIATIONS or len(word) == 1 and word.isalpha():
        return True
    return bool(_INITIALISM.fullmatch(match.group(1) + ".")) and "." in match.group(1)


def _inside_quote(text: str, position: int) -> bool:
    """True when `position` lies inside a curly or straight double quotation closed later in the text."""
    opened = text.rfind("“", 0, position)
    if opened != -1 and text.rfind("”", opened, position) == -1:
        closing = text.find("”", position)
        return closing != -1 and closing - opened <= _MAX_QUOTE_CHARS
    if text.count('"', 0, position) % 2 == 1:
        closing = text.find('"', position)
        return closing != -1 and closing - text.rfind('"', 0, position) <= _MAX_QUOTE_CHARS
    return False


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of one paragraph; spans are stripped of surrounding whitespace."""
    spans = []
    start = 0
    for match in _CANDIDATE.finditer(text):
        if match.group(1) == "." and _is_abbreviation(text, match.start(1)):
            continue
        if not _CLOSING_DOUBLE.search(match.group(2)) and _inside_quote(text, match.start(1)):
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
