"""Quotations of one article body with their speakers, from its parsed paragraphs.

`find_quotes` takes what the nlp stage already has for an article (the body, its sentence spans,
the spaCy Docs of its paragraphs with their offsets into the body, and the resolved entity
mentions) and returns one `Quote` per quotation:
- direct: words inside quotation marks (“ ” « » „ “ " ' ‘ ’; an apostrophe is never a mark). A
  quote interrupted by its attribution ("“We will,” she said, “keep going.”") and a quote that
  runs over several paragraphs (an opening mark with no closing mark at the end of a paragraph,
  continued by an opening mark at the start of the next: the news convention) are one quotation;
- reported: "X said (that) ...", "..., X said", "X told reporters ...", "according to X, ...".
The speaker is the subject of a speech verb (`SPEECH_VERBS`) as written; `speaker_canonical` is
the article's canonical name for it: the entity a name belongs to, the nearest preceding person
of that gender for "he"/"she", the person the article introduced with a role ("the minister") and the nearest
preceding organisation of that kind ("the ministry said"); NULL when nothing matches.

`text` is the quoted words only; `char_start`/`char_end` span the quotation in the body from its
first quoted character to its last, so for a quotation in one piece
`body[char_start:char_end] == text`; the pieces of an interrupted quote are joined by a space and
those of a multi-paragraph quote by a blank line.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy
from spacy.attrs import LEMMA

from newskit.entities import Mention
from newskit.entity_rules import ROLE_WORDS

# Lemmas of verbs that introduce speech: the attribution of a direct quote and the cue of
# reported speech. One list for every stage that asks "does this verb report what someone said?".
SPEECH_VERBS = frozenset(
    """say tell add warn explain argue claim insist write recall note admit ask reply answer
    announce confirm deny state report declare stress acknowledge agree concede complain describe
    tweet testify urge predict promise vow suggest caution comment remark respond observe estimate
    reveal continue maintain pledge""".split()
)
# Of these, the ones whose clause object is what was said ("said the bridge would reopen"); the
# rest only attribute a direct quote ("“...,” she continued").
REPORTING_VERBS = SPEECH_VERBS - frozenset({"ask", "continue", "describe", "comment", "remark", "respond", "answer"})
# Nouns for organisations that speak as themselves ("the ministry said").
ORGANISATION_NOUNS = frozenset(
    """ministry council company firm union guild association government department agency authority
    police club group charity party board committee commission court trust school university
    hospital bank operator business airline service office embassy army military""".split()
)
# Nouns for unnamed people who speak ("officials said"): speakers, never resolved to a name.
PEOPLE_NOUNS = frozenset(
    "official officials resident residents witness witnesses expert experts critic critics source sources "
    "people campaigner campaigners organiser organisers worker workers exporter exporters trader traders "
    "shipper shippers farmer farmers passenger passengers commuter commuters parent parents".split()
)
SPEAKER_PRONOUNS = frozenset({"he", "she", "they", "we", "i"})
_PERSON_PRONOUNS = frozenset({"he", "she"})
SPEAKER_LABELS = frozenset({"PERSON", "ORG", "NORP", "GPE"})

# opening mark -> closing marks
_PAIRS = {"“": "”", "«": "»", "„": "“”", '"': '"', "‘": "’", "'": "'"}
_SINGLE = frozenset("‘'")
_OPEN_BEFORE = frozenset(" \t\n([{—–-/:")
_MIN_WORDS_UNATTRIBUTED = 4  # shorter quoted words with no speaker are scare quotes or titles
_MAX_ATTRIBUTION_WORDS = 14
_LEMMA_HASHES = None


@dataclass(frozen=True)
class Quote:
    quote_no: int
    sentence_no: int
    text: str
    char_start: int
    char_end: int
    speaker: str | None
    speaker_canonical: str | None
    cue: str | None
    kind: str  # "direct" or "reported"


@dataclass
class _Piece:
    start: int  # first quoted character (after the opening mark)
    end: int  # end of the quoted words (a comma before the closing mark left out)
    closed: bool
    paragraph: int
    open: int  # the opening mark's position
    close: int  # the closing mark's position (the paragraph's end when the quote stays open)


@dataclass
class _Draft:
    pieces: list[_Piece]
    cue_token: object = None
    speaker: str | None = None
    canonical: str | None = None
    cue: str | None = None
    kind: str = "direct"
    start: int = 0
    end: int = 0
    text: str = ""


def paragraph_spans(body: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph of a body whose paragraphs are joined by a blank line."""
    spans, pos = [], 0
    for part in body.split("\n\n"):
        spans.append((pos, pos + len(part)))
        pos += len(part) + 2
    return spans


def _is_opening(text: str, i: int) -> bool:
    mark = text[i]
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if after.isspace() and mark != "«":  # French puts a space inside guillemets
        return False
    if mark in _SINGLE or mark == '"':
        return before in _OPEN_BEFORE or before in "“«„"
    return True


def _closing_at(text: str, i: int, opener: str) -> bool:
    mark = text[i]
    if mark not in _PAIRS[opener]:
        return False
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if before.isspace() and mark != "»":
        return False
    if opener in _SINGLE:
        if after.isalnum():
            return False  # "don’t", "O’Brien"
        if before in "sS" and after == " ":
            following = re.match(r" ([a-z]+)", text[i + 1 : i + 20])
            if following and following.group(1) not in SPEECH_WORDS_AFTER:
                return False  # "the workers’ union"
    return True


# Words that may follow a closing single quote after an "s" ("... the Smiths’ she said").
SPEECH_WORDS_AFTER = frozenset({"he", "she", "they", "we", "said", "says", "added", "told", "according", "and", "or", "but"})


def quote_pieces(body: str, paragraphs: Sequence[tuple[int, int]]) -> list[_Piece]:
    """Every quoted stretch of every paragraph, in order; a quote still open at the end of its
    paragraph ends there with closed=False."""
    pieces: list[_Piece] = []
    for number, (start, end) in enumerate(paragraphs):
        text = body[start:end]
        i = 0
        while i < len(text):
            if text[i] in _PAIRS and _is_opening(text, i):
                opener = text[i]
                j = i + 1
                while j < len(text) and not _closing_at(text, j, opener):
                    j += 1
                closed = j < len(text)
                if closed or opener not in _SINGLE:
                    first, stop = i + 1, j
                    while first < stop and text[first].isspace():
                        first += 1
                    while stop > first and text[stop - 1].isspace():
                        stop -= 1
                    if closed and text[stop - 1 : stop] == ",":
                        stop -= 1  # “We will,” she said
                    pieces.append(_Piece(start + first, start + stop, closed, number, start + i, start + j))
                    i = j + 1
                    continue
            i += 1
    return pieces


def _chains(body: str, pieces: list[_Piece], paragraphs: Sequence[tuple[int, int]]) -> list[list[_Piece]]:
    """Pieces grouped into quotes that run over paragraphs: an open piece is continued by a piece
    that opens its next paragraph."""
    chains: list[list[_Piece]] = []
    for piece in pieces:
        if chains:
            last = chains[-1][-1]
            opens_paragraph = piece.open == paragraphs[piece.paragraph][0]
            if not last.closed and piece.paragraph == last.paragraph + 1 and opens_paragraph:
                chains[-1].append(piece)
                continue
        chains.append([piece])
    return chains


class _Tokens:
    """The tokens of an article's paragraph Docs, found by their offset into the body."""

    def __init__(self, docs: Sequence[tuple[object, int]]):
        self.docs = sorted(docs, key=lambda d: d[1])
        self.offsets = [offset for _, offset in self.docs]

    def doc_at(self, pos: int):
        k = bisect_right(self.offsets, pos) - 1
        if k < 0:
            return None, 0
        doc, offset = self.docs[k]
        return (doc, offset) if pos <= offset + len(doc.text) else (None, 0)

    def within(self, start: int, end: int) -> list:
        doc, offset = self.doc_at(start)
        if doc is None:
            return []
        return [t for t in doc if start <= offset + t.idx and offset + t.idx + len(t) <= end]

    def offset_of(self, token) -> int:
        for doc, offset in self.docs:
            if token.doc is doc:
                return offset + token.idx
        raise ValueError("token of another doc")


def _cue_lemmas():
    global _LEMMA_HASHES
    if _LEMMA_HASHES is None:
        from spacy.strings import hash_string

        _LEMMA_HASHES = numpy.array([hash_string(v) for v in SPEECH_VERBS | {"accord"}], dtype=numpy.uint64)
    return _LEMMA_HASHES


def _cue_in(tokens: list):
    """The speech verb among tokens with its subject inside them, else any speech verb."""
    verbs = [t for t in tokens if t.lemma_ in SPEECH_VERBS and t.pos_ in ("VERB", "AUX")]
    ids = {t.i for t in tokens}
    for verb in verbs:
        subject = _subject(verb)
        if subject is not None and subject.i in ids:
            return verb, subject
    return (verbs[0], _subject(verbs[0])) if verbs else (None, None)


def _subject(verb):
    for child in verb.children:
        if child.dep_ in ("nsubj", "nsubjpass"):
            return child
    if verb.dep_ == "conj" and verb.head.lemma_ in SPEECH_VERBS:  # "she said and added"
        return _subject(verb.head)
    return None


def _speaker_span(subject) -> tuple[int, int]:
    """Token range of the speaker's words: the subject with its compounds, determiners and
    possessors, without appositions or relative clauses ("Priya Raman, the union's organiser")."""
    start = subject.i
    for child in subject.lefts:
        if child.dep_ in ("compound", "det", "poss", "amod", "nmod", "case", "nummod", "flat"):
            start = min(start, child.left_edge.i)
    end = subject.i + 1
    for child in subject.rights:
        if child.dep_ in ("compound", "flat") and child.i == end:
            end = child.i + 1
    return start, end


@dataclass
class _Context:
    body: str
    mentions: list[Mention]
    quoted: list[tuple[int, int]]  # spans inside quotation marks

    def inside_quote(self, pos: int) -> bool:
        return any(a <= pos < b for a, b in self.quoted)

    def mention_over(self, start: int, end: int) -> Mention | None:
        over = [m for m in self.mentions if m.start < end and start < m.end and m.label in SPEAKER_LABELS]
        return max(over, key=lambda m: m.end - m.start) if over else None

    def preceding(self, before: int, keep) -> Mention | None:
        found = [m for m in self.mentions if m.end <= before and keep(m) and not self.inside_quote(m.start)]
        return max(found, key=lambda m: m.start) if found else None


def _resolve_speaker(subject, tokens: _Tokens, ctx: _Context) -> tuple[str, str | None] | None:
    """(speaker as written, canonical name or None), or None when the subject is no speaker."""
    doc = subject.doc
    first, last = _speaker_span(subject)
    offset = tokens.offset_of(doc[first]) - doc[first].idx
    start, end = offset + doc[first].idx, offset + doc[last - 1].idx + len(doc[last - 1])
    written = ctx.body[start:end]
    head = subject.lower_
    mention = ctx.mention_over(offset + subject.idx, offset + subject.idx + len(subject))
    if mention is None:  # "Its chief executive, Martin Keel, said"
        for child in subject.rights:
            if child.dep_ == "appos":
                mention = ctx.mention_over(offset + child.idx, offset + child.idx + len(child))
                break
    if mention is not None:
        return written, mention.canonical or mention.text
    if subject.pos_ == "PRON":
        if head not in SPEAKER_PRONOUNS:
            return None
        if head in _PERSON_PRONOUNS:
            return written, _person_for_pronoun(head, start, ctx)
        return written, None
    lemma = subject.lemma_.lower()
    if lemma in ROLE_WORDS or head in ROLE_WORDS:
        return written, _person_with_role(head, start, ctx)
    if lemma in ORGANISATION_NOUNS:
        return written, _organisation_of_kind(lemma, start, ctx)
    if head in PEOPLE_NOUNS or lemma in PEOPLE_NOUNS:
        return written, None
    if subject.pos_ == "PROPN":
        return written, written
    return None


def _person_for_pronoun(pronoun: str, before: int, ctx: _Context) -> str | None:
    """The nearest preceding person of the pronoun's gender by given name ("she" skips "Alan
    Dershowitz"); a person whose given name says nothing matches either pronoun."""
    wanted = "f" if pronoun == "she" else "m"

    def matches(m: Mention) -> bool:
        return m.label == "PERSON" and given_name_gender((m.canonical or m.text).split()[0]) in (wanted, None)

    person = ctx.preceding(before, matches)
    return (person.canonical or person.text) if person else None


@lru_cache(maxsize=1)
def _given_name_genders() -> dict[str, str]:
    """Given name -> "m" or "f", from Faker's person providers of every locale: the gender the
    name has in at least three times as many locales as the other."""
    import importlib
    import pkgutil

    import faker.providers.person as person_providers

    counts: dict[str, list[int]] = {}
    for locale in pkgutil.iter_modules(person_providers.__path__):
        provider = importlib.import_module(f"{person_providers.__name__}.{locale.name}").Provider
        for index, attribute in enumerate(("first_names_male", "first_names_female")):
            values = getattr(provider, attribute, ())
            for name in set(values) if isinstance(values, (list, tuple, set, frozenset, dict)) else ():
                if isinstance(name, str):
                    counts.setdefault(name, [0, 0])[index] += 1
    genders = {}
    for name, (male, female) in counts.items():
        if male >= 3 * female and male:
            genders[name] = "m"
        elif female >= 3 * male and female:
            genders[name] = "f"
    return genders


def given_name_gender(name: str) -> str | None:
    """"m", "f" or None (unknown or used for both) for a given name."""
    return _given_name_genders().get(name)


def _person_with_role(role: str, before: int, ctx: _Context) -> str | None:
    """The person the article introduced with this role before `before`: "Graham Ellery, the
    company's chief executive" or "chief executive Graham Ellery", the nearest such."""
    best: tuple[int, str] | None = None
    for match in re.finditer(rf"\b{re.escape(role)}\b", ctx.body[:before], re.IGNORECASE):
        near = [
            m for m in ctx.mentions
            if m.label == "PERSON" and (0 <= match.start() - m.end <= 60 or 0 <= m.start - match.end() <= 2)
            and "." not in ctx.body[min(m.end, match.start()) : max(m.start, match.end())]
        ]  # fmt: skip
        if near:
            person = min(near, key=lambda m: abs(m.start - match.start()))
            if best is None or match.start() > best[0]:
                best = (match.start(), person.canonical or person.text)
    return best[1] if best else None


def _organisation_of_kind(noun: str, before: int, ctx: _Context) -> str | None:
    """The nearest preceding organisation whose name has the noun in it ("Lenn Valley County
    Council" for "the council"); for a company or firm, the nearest preceding organisation."""
    def named(m: Mention) -> bool:
        return m.label == "ORG" and noun in (m.canonical or m.text).lower().split()

    org = ctx.preceding(before, named)
    if org is None and noun in ("company", "firm"):
        org = ctx.preceding(before, lambda m: m.label == "ORG")
    return (org.canonical or org.text) if org else None


def _sentence_index(sentences: list[tuple[int, int, int]], pos: int) -> int:
    starts = [s for _, s, _ in sentences]
    return max(bisect_right(starts, pos) - 1, 0)


def _attribute(draft: _Draft, region: tuple[int, int], tokens: _Tokens, ctx: _Context) -> bool:
    cue, subject = _cue_in([t for t in tokens.within(*region) if not ctx.inside_quote(tokens.offset_of(t))])
    if cue is None:
        return False
    draft.cue_token, draft.cue = cue, cue.text
    if subject is not None:
        resolved = _resolve_speaker(subject, tokens, ctx)
        if resolved is not None:
            draft.speaker, draft.canonical = resolved
    if draft.speaker is None:  # the parse found no subject: a name right after or before the verb
        at = tokens.offset_of(cue)
        end = at + len(cue)
        named = [m for m in ctx.mentions if m.label in SPEAKER_LABELS and region[0] <= m.start and m.end <= region[1]
                 and (0 < m.start - end <= 2 or 0 < at - m.end <= 2)]  # fmt: skip
        if named:
            draft.speaker, draft.canonical = named[0].text, named[0].canonical or named[0].text
    return True


def _words(text: str) -> int:
    return len(text.split())


def find_quotes(
    body: str,
    sentences: Sequence[tuple[int, int, int]],
    docs: Sequence[tuple[object, int]],
    mentions: Sequence[Mention],
) -> list[Quote]:
    """Direct and reported quotations of one article (see the module docstring).

    `sentences`: (sentence_no, char_start, char_end) of the body's sentences; `docs`: (spaCy Doc,
    offset of its text in the body) for each parsed stretch of the body; `mentions`: the article's
    resolved entity mentions (offsets into the body, canonical names)."""
    sentences = sorted(sentences, key=lambda s: s[1])
    if not sentences:
        return []
    paragraphs = paragraph_spans(body)
    tokens = _Tokens(docs)
    pieces = [p for p in quote_pieces(body, paragraphs) if _in_sentences(p, sentences)]
    ctx = _Context(body, sorted(mentions, key=lambda m: m.start), [(p.start, p.end) for p in pieces])
    drafts = _direct_quotes(body, sentences, paragraphs, pieces, tokens, ctx)
    used_cues = {id(d.cue_token) for d in drafts if d.cue_token is not None}
    drafts += _reported_quotes(body, sentences, tokens, ctx, used_cues)
    drafts.sort(key=lambda d: d.start)
    return [
        Quote(
            quote_no=number, sentence_no=sentences[_sentence_index(sentences, d.start)][0], text=d.text,
            char_start=d.start, char_end=d.end, speaker=d.speaker, speaker_canonical=d.canonical,
            cue=d.cue, kind=d.kind,
        )  # fmt: skip
        for number, d in enumerate(drafts)
    ]


def _in_sentences(piece: _Piece, sentences: list[tuple[int, int, int]]) -> bool:
    k = _sentence_index(sentences, piece.start)
    _, start, end = sentences[k]
    return start <= piece.open and piece.start <= end


def _direct_quotes(body, sentences, paragraphs, pieces, tokens, ctx) -> list[_Draft]:
    drafts: list[_Draft] = []
    chains = _chains(body, pieces, paragraphs)
    for index, chain in enumerate(chains):
        first, last = chain[0], chain[-1]
        draft = _Draft(pieces=list(chain))
        sentence = sentences[_sentence_index(sentences, last.end)]
        next_open = chains[index + 1][0].open if index + 1 < len(chains) and chains[index + 1][0].paragraph == last.paragraph else None
        after_end = min(x for x in (sentence[2], next_open, paragraphs[last.paragraph][1]) if x is not None)
        attributed = last.closed and _attribute(draft, (last.close + 1, after_end), tokens, ctx)
        previous = drafts[-1] if drafts else None
        if previous is not None and previous.pieces[-1].paragraph == first.paragraph and previous.pieces[-1].closed:
            between = body[previous.pieces[-1].close + 1 : first.open]
            if not attributed and previous.cue is not None and _only_attribution(between, previous, tokens, ctx):
                previous.pieces.extend(chain)  # "“We will,” she said, “keep going.”"
                continue
        if not attributed:
            start_sentence = sentences[_sentence_index(sentences, first.open)]
            before_start = max(start_sentence[1], previous.pieces[-1].close + 1 if previous and previous.pieces[-1].paragraph == first.paragraph else 0)
            attributed = _attribute(draft, (before_start, first.open), tokens, ctx)
        if draft.speaker is None and not attributed and previous is not None and previous.speaker is not None:
            if _continues_speaker(previous, first, paragraphs, ctx):
                draft.speaker, draft.canonical = previous.speaker, previous.canonical
        drafts.append(draft)
    kept = []
    for draft in drafts:
        draft.start, draft.end = draft.pieces[0].start, draft.pieces[-1].end
        draft.text = _joined(body, draft.pieces)
        if draft.speaker is None and not _looks_spoken(draft.text):
            continue
        kept.append(draft)
    return kept


def _only_attribution(between: str, previous: _Draft, tokens: _Tokens, ctx: _Context) -> bool:
    """Whether the text between two quoted pieces is just the first one's attribution
    ("she said," / "said Raman." / "Raman said, adding:")."""
    words = between.split()
    if not words or len(words) > _MAX_ATTRIBUTION_WORDS or "\n" in between:
        return False
    if re.search(r"[.!?]\S*\s+\S", between.strip()):
        return False  # another sentence starts before the second piece
    cue_at = tokens.offset_of(previous.cue_token)
    return previous.pieces[-1].close < cue_at < previous.pieces[-1].close + 1 + len(between)


def _continues_speaker(previous: _Draft, first: _Piece, paragraphs, ctx: _Context) -> bool:
    """An unattributed quote that opens the paragraph after an attributed quote, with no other
    person named in between, is the same speaker going on."""
    last = previous.pieces[-1]
    if first.paragraph != last.paragraph + 1 or first.open != paragraphs[first.paragraph][0]:
        return False
    return not any(m.label == "PERSON" and last.end < m.start < first.start and m.canonical != previous.canonical for m in ctx.mentions)


def _looks_spoken(text: str) -> bool:
    """Quoted words with no speaker found are kept when they read like speech: several words,
    not a capitalised title."""
    words = text.split()
    if len(words) < _MIN_WORDS_UNATTRIBUTED:
        return False
    return not all(w[:1].isupper() or not w[:1].isalpha() for w in words)


def _joined(body: str, pieces: list[_Piece]) -> str:
    parts = [body[p.start : p.end].strip() for p in pieces]
    text = parts[0]
    for prev, piece, part in zip(pieces, pieces[1:], parts[1:]):
        if piece.paragraph != prev.paragraph:
            text += "\n\n" + part
        else:  # the comma left out before the attribution stays where a new sentence starts
            comma = "," if body[prev.end] == "," and part[:1].isupper() else ""
            text += comma + " " + part
    return text


def _reported_quotes(body, sentences, tokens: _Tokens, ctx: _Context, used_cues: set[int]) -> list[_Draft]:
    """'X said (that) ...', '..., X said', 'according to X, ...' outside quotation marks."""
    drafts: list[_Draft] = []
    ranges = [(s, e) for _, s, e in sentences]
    hashes = _cue_lemmas()
    for doc, offset in tokens.docs:
        if not len(doc):
            continue
        lemmas = doc.to_array([LEMMA]).reshape(-1)
        for i in numpy.flatnonzero(numpy.isin(lemmas, hashes)).tolist():
            token = doc[i]
            at = offset + token.idx
            if id(token) in used_cues or ctx.inside_quote(at):
                continue
            k = bisect_right([s for s, _ in ranges], at) - 1
            if k < 0 or at >= ranges[k][1]:
                continue
            sentence = ranges[k]
            draft = _according_to(token, offset, sentence, tokens, ctx) if token.lower_ == "according" else _said_that(token, offset, tokens, ctx)
            if draft is None or any(ctx.inside_quote(p) for p in (draft.start, draft.end - 1)):
                continue
            if any(a < draft.end and draft.start < b for a, b in ctx.quoted):
                continue  # the verb attributes a quote inside its clause
            while draft.end > draft.start and body[draft.end - 1] in ".,;:":
                draft.end -= 1  # "$38m." is one token
            draft.text = body[draft.start : draft.end]
            if _words(draft.text) >= 3:
                drafts.append(draft)
    return drafts


def _span_chars(tokens: list, offset: int) -> tuple[int, int]:
    first, last = tokens[0], tokens[-1]
    return offset + first.idx, offset + last.idx + len(last)


def _trim(span: list) -> list:
    while span and (span[0].is_punct or span[0].dep_ in ("mark", "cc") and span[0].lower_ in ("that", "and", "but")):
        span = span[1:]
    while span and span[-1].is_punct:
        span = span[:-1]
    return span


def _said_that(verb, offset: int, tokens: _Tokens, ctx: _Context) -> _Draft | None:
    if verb.lemma_ not in REPORTING_VERBS or verb.pos_ not in ("VERB", "AUX"):
        return None
    subject = _subject(verb)
    clause = next((c for c in verb.children if c.dep_ == "ccomp"), None)
    if subject is None or clause is None:
        return None
    resolved = _resolve_speaker(subject, tokens, ctx)
    if resolved is None:
        return None
    span = _trim(list(clause.subtree))
    if not span or span[0].i <= verb.i <= span[-1].i:
        return None
    start, end = _span_chars(span, offset)
    return _Draft(pieces=[], cue_token=verb, speaker=resolved[0], canonical=resolved[1],
                  cue=verb.text, kind="reported", start=start, end=end)  # fmt: skip


def _according_to(token, offset: int, sentence: tuple[int, int], tokens: _Tokens, ctx: _Context) -> _Draft | None:
    to = next((c for c in token.children if c.lower_ == "to"), None)
    source = next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
    if source is None:
        return None
    resolved = _resolve_speaker(source, tokens, ctx)
    phrase_start, phrase_end = _span_chars([token, *source.subtree], offset)
    words = [t for t in tokens.within(*sentence) if not (phrase_start <= tokens.offset_of(t) < phrase_end)]
    before = _trim([t for t in words if tokens.offset_of(t) < phrase_start])
    after = _trim([t for t in words if tokens.offset_of(t) >= phrase_end])
    span = before if len(before) >= len(after) else after
    if not span or resolved is None:
        return None
    start, end = _span_chars(span, tokens.offset_of(span[0]) - span[0].idx)
    return _Draft(pieces=[], cue_token=token, speaker=resolved[0], canonical=resolved[1],
                  cue=ctx.body[phrase_start : offset + to.idx + len(to)], kind="reported", start=start, end=end)  # fmt: skip
