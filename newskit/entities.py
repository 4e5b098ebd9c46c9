"""Named-entity mentions of one article: trimmed spans, labels repaired with article context,
one canonical name per entity.

`resolve_mentions` is string logic on plain mentions (offsets into the article body), so it
runs on any NER output; `cue_mentions` reads a parsed Doc for names the NER left untagged. What
it fixes in a small statistical model's output:
- spans: a leading "the", titles ("President", "First Lady") and a trailing possessive are cut;
- labels: a person's surname or given name tagged ORG/GPE/... is a PERSON when the article
  names that person in full; a person's surname the model missed is added;
- canonical names: "Putin" -> "Vladimir Putin" (the earliest full name with that surname or
  given name), "ICC" -> "International Criminal Court" when the article spells it out, and a few
  country aliases ("U.S." -> "United States").
"""

from __future__ import annotations

import re
from bisect import bisect_right, insort
from dataclasses import dataclass, replace

import numpy
from spacy.attrs import ENT_TYPE, POS
from spacy.parts_of_speech import PROPN as PROPN_POS

from newskit.gazetteer import is_given_name, is_known_place, is_major_place

PERSON = "PERSON"
# Labels a person's name is often mis-tagged with.
REPAIRABLE_LABELS = frozenset({"ORG", "GPE", "NORP", "LOC", "FAC", "PRODUCT", "WORK_OF_ART", "EVENT"})
# A given name tagged as a place is more often the place ("Jordan Peel visited Jordan").
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
THE_STRIPPED_LABELS = frozenset({"ORG", "GPE", "LOC", "FAC", "NORP", "EVENT", "PRODUCT"})

# Titles that precede names, longest first so "Vice President" wins over "President".
TITLES = sorted(
    (
        tuple(t.split())
        for t in (
            "President|Vice President|President-elect|Prime Minister|Deputy Prime Minister|"
            "First Lady|First Minister|Chancellor|Secretary|Secretary of State|"
            "Secretary-General|Secretary General|Foreign Secretary|Home Secretary|"
            "Defence Secretary|Defense Secretary|Treasury Secretary|Health Secretary|"
            "Foreign Minister|Defence Minister|Defense Minister|Finance Minister|Minister|"
            "Senator|Sen.|Rep.|Representative|Congressman|Congresswoman|Gov.|Governor|Mayor|"
            "Judge|Justice|Chief Justice|Attorney General|General|Gen.|Lt.|Col.|Colonel|"
            "Captain|Capt.|Sgt.|Sergeant|Admiral|Commander|King|Queen|Prince|Princess|"
            "Crown Prince|Pope|Sheikh|Supreme Leader|Dr|Dr.|Mr|Mr.|Mrs|Mrs.|Ms|Ms.|Miss|"
            "Sir|Dame|Lord|Lady|Professor|Prof.|Rev.|Reverend|Speaker|Ambassador|Envoy|"
            "Special Envoy|Commissioner|Chairman|Chairwoman|Chief Executive|CEO|Spokesman|"
            "Spokeswoman|Spokesperson|Coach|Detective|Inspector|Officer|Leader|Emperor|"
            "Archbishop|Bishop|Cardinal|Rabbi|Imam|Saint|St."
        ).split("|")
    ),
    key=len,
    reverse=True,
)
_TITLES_BY_FIRST: dict[str, list[tuple[str, ...]]] = {}
for _title in TITLES:
    _TITLES_BY_FIRST.setdefault(_title[0], []).append(_title)
_NATIONALITY = re.compile(r"^[A-Z][a-z]+(?:an|ian|ese|ish|i|ch)$")  # "Russian", "Chinese", "Israeli"

# Well-known aliases the article need not spell out.
ALIASES = {
    "U.S.": "United States", "US": "United States", "U.S.A.": "United States",
    "USA": "United States", "United States of America": "United States",
    "UK": "United Kingdom", "U.K.": "United Kingdom", "Britain": "United Kingdom",
    "Great Britain": "United Kingdom", "EU": "European Union", "E.U.": "European Union",
    "UN": "United Nations", "U.N.": "United Nations",
}  # fmt: skip
_ACRONYM = re.compile(r"^[A-Z](?:\.?[A-Z&]){1,7}\.?$")
_ACRONYM_FILLERS = frozenset({"of", "the", "for", "and", "on", "in", "de", "du", "des", "la", "&"})
_CAPITALISED_RUN = re.compile(
    r"\b[A-Z][\w'’-]*(?:\s+(?:(?:of|the|for|and|on|in|de|du|des|la|&)\s+)*[A-Z][\w'’-]*)+"
)
NAME_PARTICLES = frozenset({"de", "da", "di", "del", "della", "van", "von", "der", "den", "al", "el", "bin", "ibn", "le", "la", "du", "dos", "das"})
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")


@dataclass(frozen=True)
class Mention:
    start: int  # offsets into the article body
    end: int
    text: str
    label: str
    canonical: str = ""
    # the role of the name in its clause, from the parse: "speaker" (a one-word subject of a
    # speech verb or of a clause with he/she/his/her in it), "person_subject" (a longer such
    # subject), "subject", "state" (the possessor of an economy, parliament, currency ...),
    # "possessor", or "" (unknown or anything else)
    role: str = ""


def _strip_prefix(mention: Mention, words: int) -> Mention:
    parts = mention.text.split(" ")
    cut = len(" ".join(parts[:words])) + 1
    return replace(mention, start=mention.start + cut, text=mention.text[cut:])


def _title_words(words: list[str]) -> int:
    """How many leading words of a name are a title (never all of them)."""
    cut = 0
    while True:
        rest = words[cut:]
        if len(rest) < 2:
            return cut
        if _NATIONALITY.match(rest[0]) and any(tuple(rest[1 : 1 + len(t)]) == t for t in _TITLES_BY_FIRST.get(rest[1], ())):
            cut += 1
            continue
        for title in _TITLES_BY_FIRST.get(rest[0], ()):
            if len(rest) > len(title) and tuple(rest[: len(title)]) == title:
                cut += len(title)
                break
        else:
            role = rest[0].lower()
            if len(rest) > 1 and rest[0][:1].isupper() and (role in TITLE_ROLES or role[:-1] in TITLE_ROLES):
                cut += 1  # "Councillor Owen Pryce", "Librarian Joanne Whitlock"
                continue
            return cut


def trim(mention: Mention) -> Mention | None:
    """The mention without a leading 'the', a title or a trailing possessive; None if nothing is left."""
    text = mention.text
    if " " in text and "\n" not in text and "  " not in text:
        words = text.split(" ")
        if words[0] in ("the", "The") and mention.label in THE_STRIPPED_LABELS | {PERSON}:
            mention = _strip_prefix(mention, 1)
            words = words[1:]
        titles = _title_words(words)
        if titles and (mention.label == PERSON or mention.label in REPAIRABLE_LABELS):
            mention = _strip_prefix(mention, titles)
            # a title before a name makes a person, unless the rest names an organisation or
            # place ("Organisers Glenholm Running Club")
            label = _head_label(replace(mention, label=PERSON))
            mention = replace(mention, label=label)
    if "(" in mention.text and ")" not in mention.text:  # "Council of Ontario (RECO"
        mention = _cut_end(mention, mention.text.index("(")) if mention.text.index("(") else None
        if mention is None:
            return None
    possessive = _POSSESSIVE.search(mention.text)
    if possessive and len(mention.text) > 2:
        mention = _cut_end(mention, possessive.start())
    mention = _cut_end(mention, len(mention.text.rstrip(" ,;:")))
    words = mention.text.split(" ")
    while len(words) > 1 and words[-1].islower():  # "Ontario city", but not "al-Jadaan"
        words.pop()
        mention = _cut_end(mention, len(" ".join(words)))
    while len(words) > 1 and words[0].islower() and words[0] not in NAME_PARTICLES:  # "east Delhi"
        mention = _strip_prefix(mention, 1)
        words.pop(0)
    if not any(c.isupper() for c in mention.text):
        return None  # names are capitalised: "emoji", "moron"
    return mention


def _cut_end(mention: Mention, length: int) -> Mention:
    text = mention.text[:length].rstrip()
    return replace(mention, end=mention.start + len(text), text=text)


@dataclass
class _Person:
    full: str  # the longest full name of this person in the article
    words: tuple[str, ...]
    first_seen: int


def _people(mentions: list[Mention]) -> list[_Person]:
    """People named in full (two words or more), merged by given name and surname."""
    people: list[_Person] = []
    for m in sorted(mentions, key=lambda m: m.start):
        if m.label != PERSON:
            continue
        words = tuple(m.text.split())
        if len(words) < 2:
            continue
        for person in people:
            if person.words[-1] == words[-1] and person.words[0] == words[0]:
                if len(words) > len(person.words):
                    person.full, person.words = m.text, words
                break
        else:
            people.append(_Person(m.text, words, m.start))
    return people


def _person_for(name: str, at: int, people: list[_Person]) -> _Person | None:
    """The person a (partial) name refers to: by surname first, then given name, earliest first."""
    words = name.split()
    for matches in (
        lambda p: p.words[-1] == words[-1] and (len(words) == 1 or p.words[0] == words[0]),
        lambda p: len(words) == 1 and p.words[0] == words[0],
    ):
        candidates = [p for p in people if matches(p)]
        if candidates:
            earlier = [p for p in candidates if p.first_seen <= at]
            return min(earlier or candidates, key=lambda p: p.first_seen)
    return None


def _acronym_letters(acronym: str) -> str:
    return acronym.replace(".", "").replace("&", "")


def _initials(name: str) -> str:
    return "".join(w[0] for w in name.split() if w.lower() not in _ACRONYM_FILLERS and w[:1].isupper())


def _expansions(mentions: list[Mention], body: str) -> dict[str, str]:
    """Initials -> the spelled-out name: a multi-word mention with those initials, else a
    capitalised phrase the body follows with the acronym in brackets ("... Court (ICC)")."""
    found: dict[str, str] = {}
    for m in sorted(mentions, key=lambda m: m.start):
        if m.label != PERSON and " " in m.text:
            found.setdefault(_initials(m.text), " ".join(m.text.split()))
    for match in _CAPITALISED_RUN.finditer(body):
        bracket = re.match(r"\s*\(([A-Z][A-Z.&]+)\)", body[match.end() : match.end() + 12])
        if bracket is None:
            continue
        words = match.group(0).split()
        letters = _acronym_letters(bracket.group(1))
        for k in range(len(words)):  # the run may start before the name ("In March the ...")
            if words[k][:1].isupper() and words[k] not in ("The", "A", "An") and _initials(" ".join(words[k:])) == letters:
                found.setdefault(letters, " ".join(words[k:]))
                break
    return found


def _missed_person_mentions(mentions: list[Mention], people: list[_Person], body: str, ranges: list[tuple[int, int]]) -> list[Mention]:
    """Occurrences of a known person's name that the model left untagged ("Trump met ...")."""
    names = {p.full for p in people} | {p.words[-1] for p in people} | {p.words[0] for p in people}
    return _missed_mentions(mentions, names, PERSON, body, ranges)


def _missed_place_mentions(mentions: list[Mention], body: str, ranges: list[tuple[int, int]]) -> list[Mention]:
    """Occurrences of a one-word place of the article that the model left untagged ("Brackwater
    mayor Tom Ilves" after "the town of Brackwater")."""
    names = {m.text for m in mentions if m.label == "GPE" and " " not in m.text and not _ACRONYM.match(m.text)}
    return _missed_mentions(mentions, names, "GPE", body, ranges)


_CAPITALISED_NEXT = re.compile(r"\s+[A-Z]")


def _missed_mentions(mentions: list[Mention], names: set[str], label: str, body: str, ranges: list[tuple[int, int]]) -> list[Mention]:
    """Untagged occurrences of `names` in the sentence ranges that are not part of a longer
    capitalised name, as mentions with `label` (longer names first)."""
    taken = sorted((m.start, m.end) for m in mentions)
    added: list[Mention] = []
    for name in sorted((n for n in names if len(n) >= 3), key=len, reverse=True):
        for start, end in ranges:
            at = body.find(name, start, end)
            while at >= 0:
                stop = at + len(name)
                if _free_standing(body, at, stop, start) and not _overlaps(taken, at, stop):
                    added.append(Mention(at, stop, name, label))
                    insort(taken, (at, stop))
                at = body.find(name, stop, end)
    return added


def _free_standing(body: str, at: int, stop: int, sentence_start: int) -> bool:
    """Whether body[at:stop] is a whole word that no other capitalised word continues ("Hall Trump")."""
    if (at > 0 and (body[at - 1].isalnum() or body[at - 1] in "_.-")) or (stop < len(body) and (body[stop].isalnum() or body[stop] in "_-")):
        return False
    if _CAPITALISED_NEXT.match(body, stop):
        return False
    before = body[max(sentence_start, at - 30) : at].split()
    return not (before and before[-1][:1].isupper() and before[-1][-1] not in ".!?:;\"”" and not any(before[-1:] == [t[-1]] for t in TITLES))


def _overlaps(taken: list[tuple[int, int]], start: int, end: int) -> bool:
    k = bisect_right(taken, (start, end)) - 1
    return (k >= 0 and taken[k][1] > start) or (k + 1 < len(taken) and taken[k + 1][0] < end)


SPEECH_VERBS = frozenset(
    {"say", "tell", "add", "explain", "argue", "claim", "insist", "write", "recall", "note", "admit",
     "warn", "ask", "reply", "believe", "think", "feel", "complain", "describe", "tweet", "testify"}
)  # fmt: skip
PERSONAL_PRONOUNS = frozenset({"he", "his", "him", "himself", "she", "her", "hers", "herself"})
# All-caps words that are not organisations.
COMMON_ACRONYMS = frozenset(
    "CEO CFO COO CTO TV GDP AI OK PM AM ID PC DNA HIV AIDS CO2 FAQ USB URL PDF UK US USA EU UN "
    "MP MPS VIP DIY LGBT LGBTQ IT IQ ICU ER GP NHS DJ RIP SUV ATM PIN VAT CCTV PR HR IPO ETF "
    "COVID SARS NFT API GPS LED LCD CD DVD MRI BBC AP".split()
)  # fmt: skip
_BETWEEN = re.compile(r"\bbetween\s+(?:[A-Z][\w'’-]*\s+and\s+)?$")
_DETERMINER_BEFORE = re.compile(r"(?:^|\s)(?:the|a|an|his|her|its|their|our|my|your)\s$", re.IGNORECASE)
_MODIFIER_OF = re.compile(r"^\s([a-zé]+)\b")
GEO_NOUNS = frozenset(
    "estuary river valley bay coast hills mountains lake sea island islands peninsula basin "
    "delta plain plains forest moor moors region area".split()
)
# Nouns a person's name does modify: "the Trump administration", "the Obama era".
PERSON_MODIFIED = frozenset(
    "administration government era campaign family presidency camp team years estate "
    "foundation name legacy doctrine show case trial".split()
)
ROLE_WORDS = frozenset(
    "chair chairman chairwoman chairperson spokesman spokeswoman spokesperson director engineer "
    "nurse doctor manager secretary minister president chief executive officer founder co-founder "
    "owner partner analyst economist lawyer solicitor barrister prosecutor judge teacher "
    "headteacher headmaster headmistress principal councillor councilor mayor leader coach captain "
    "inspector constable superintendent sergeant detective governor senator ambassador envoy "
    "commissioner correspondent editor reporter journalist presenter librarian curator architect "
    "planner surveyor treasurer accountant bookkeeper organiser organizer campaigner activist "
    "chef baker farmer fisherman skipper pilot driver volunteer resident student professor "
    "researcher scientist historian author administrator trustee deputy vice-chair".split()
) | frozenset(
    "writer novelist poet playwright artist painter sculptor photographer designer architect "
    "singer songwriter musician composer conductor pianist guitarist rapper actor actress comedian "
    "dancer filmmaker producer player footballer cricketer golfer athlete philosopher politician "
    "businessman businesswoman entrepreneur banker investor physicist chemist biologist "
    "mathematician astronomer explorer inventor priest monk striker midfielder defender "
    "goalkeeper winger batsman bowler jockey trainer quarterback pitcher referee umpire".split()
)
# Roles that are also common surnames: not stripped from the front of a name ("Baker Mayfield").
SURNAME_LIKE_ROLES = frozenset(
    "baker farmer driver pilot chef fisherman volunteer resident student author partner owner "
    "skipper painter singer player designer".split()
)
TITLE_ROLES = ROLE_WORDS - SURNAME_LIKE_ROLES
ORG_WORDS = frozenset(
    "Rail Railway Railways Airline Airlines Airways Ltd Limited Inc PLC plc LLC Group Council "
    "Trust Union Club Bank Company Co Corp Corporation Partners Association Society Authority "
    "Agency Board Commission Committee Party Ministry Department Police Service Services "
    "Foundation Institute University College School Academy Hospital Ferries Press Gazette "
    "Courier Motors Works Capital Holdings Industries Federation League Office Court Parliament "
    "Assembly Cooperative Co-operative Alliance Logistics Festival Marathon Library Libraries "
    "Chamber Fund Network Systems Technologies Labs Studios Brewery Bakery "
    "Orchestra Team Shipping Energy Foods Pharma Pharmaceuticals Insurance Software Solutions Ventures "
    "Enterprises Properties Resources Mining Petroleum Telecom Communications Consulting Associates "
    "Brands Retail Supermarkets Hotels Resorts Entertainment Publishing Herald Journal Tribune "
    "Chronicle Financial Securities Investments Construction Engineering Electric Chemicals Steel "
    "Aviation Aerospace Healthcare Laboratories FC AFC Rovers Athletic Wanderers Albion".split()
)
ORG_OF_WORDS = frozenset({"Institute", "Chamber", "Department", "Ministry", "Office", "Bank", "Study", "House", "Friends", "Museum", "Order"})
ORG_FIRST_WORDS = frozenset({"Café", "Cafe", "Bank", "University", "Hotel", "Restaurant"})
LOC_HEADS = frozenset(
    "Street Road Avenue Boulevard Lane Parade Square Meadows Bay River Valley Estuary Hall Bridge "
    "Hills Mountains Forest Coast Island Islands Peninsula Sea Ocean Wharf Pier Quay Gulf Strait "
    "Canal Moor Moors Fields Common Green Crescent Terrace Way Drive Hill Airport Station House "
    "Stadium Arena Tower Palace Castle Cathedral Church Building Highway Motorway Tunnel Mall".split()
)
# Street words no surname ends in: they make even a "person" a place ("Fenwick Row").
STREET_HEADS = frozenset({"Street", "Road", "Avenue", "Boulevard", "Row", "Terrace", "Crescent", "Parade"})
LOC_FIRST_WORDS = frozenset({"River", "Lake", "Mount", "Loch", "Lough", "Sierra", "Cape", "Gulf", "Mt"})
GPE_HEADS = frozenset({"Heights", "Springs", "Creek", "Point", "Falls", "Harbour", "Harbor"})
# Last words of names of events and shows (not people, organisations or places in UNER).
EVENT_HEADS = frozenset(
    "Championship Championships Cup Games Olympics Olympiad Tournament Trophy Awards Prize Show "
    "Open Prix Derby Series Summit Expo".split()
)
LEGAL_SUFFIXES = frozenset({"Ltd", "Limited", "Inc", "Inc.", "PLC", "plc", "LLC", "Corp", "Corp."})
# Capitalised words joined only by the connectors names use ("Institute for the Study of War").
_NAME_RUN = re.compile(r"\b[A-Z][\w'’-]*(?:\s+(?:(?:of|the|for|and|&)\s+)*[A-Z][\w'’-]*)+")
_FUNCTION_WORDS = frozenset(
    "the a an in at on for from to by with of and but or as after before since when while if "
    "this that these those its their his her our my your meanwhile however also still yet then "
    "now later earlier today yesterday instead elsewhere separately overall indeed finally".split()
)
_WORD = re.compile(r"\S+")
_LOWER_COMPOUND = re.compile(r"-[a-z]+$")
_ROLE_NAME = re.compile(r"\b([A-Za-z-]+)\s+((?:[A-Z][\w’'-]+\s+){0,2}[A-Z][\w’'-]+)")
_ROMAN = re.compile(r"^[IVXLCDM]+$")
_WHERE = re.compile(r"^,\s+where\b")
_WHO = re.compile(r"^,?\s+who(?:se|m)?\b")
_PLACE_PREPOSITION = re.compile(r"\b(?:in|at|near|outside|across|throughout|inside)\s+$")


def _rest_of_sentence(doc, i: int):
    """Tokens after token i up to the end of its sentence (without building sentence spans)."""
    end = i + 1
    while end < len(doc) and not doc[end].is_sent_start:
        end += 1
    return doc[i + 1 : end]


def _shouting(doc, i: int) -> bool:
    """Whether the words around token i are all capitals (a headline), so capitals mean nothing."""
    window = doc[max(0, i - 4) : i + 5]
    words = [t.text for t in window if t.is_alpha]
    return len(words) > 2 and all(w.isupper() for w in words)


SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})


def ent_mention(ent, offset: int = 0) -> Mention:
    """The Mention of a spaCy entity span (offsets + offset), with its parse role. A given name
    the model left out just before a short name makes the whole a person ("Teodor" + "Vasquez
    Hale" tagged ORG)."""
    doc, start = ent.doc, ent.start
    if start > 0 and len(ent) <= 2:
        before = doc[start - 1]
        if before.pos_ == "PROPN" and before.is_title and not before.ent_type_ and is_given_name(before.text):
            if _NAME_WORDS.isdisjoint(t.text for t in ent) and not is_known_place(ent.text):
                return Mention(offset + before.idx, offset + ent.end_char, doc[before.i : ent.end].text, PERSON, role=ent_role(ent))
    return Mention(offset + ent.start_char, offset + ent.end_char, ent.text, ent.label_, role=ent_role(ent))


def ent_role(ent) -> str:
    """The role a spaCy entity span plays in its clause (see `Mention.role`)."""
    root = ent.root
    dep = root.dep_
    if dep in SUBJECT_DEPS:
        if root.head.lemma_ in SPEECH_VERBS:
            return "speaker"
        if any(t.lower_ in PERSONAL_PRONOUNS for t in _rest_of_sentence(ent.doc, root.i)):
            return "speaker" if len(ent) == 1 else "person_subject"
        return "subject"
    if dep == "poss":
        possessed = root.head.lemma_
        if possessed in STATE_POSSESSIONS or (possessed == "government" and ent.label_ != PERSON):
            return "state"  # "Norvania's economy"; "Merkel's government" is a person's
        return "possessor"
    return ""


# What only a country or region has: "Eastmark's economy", "Norland's parliament".
STATE_POSSESSIONS = frozenset(
    "economy parliament capital constitution military army navy currency population "
    "gdp inflation unemployment exports imports border borders coastline embassy citizens".split()
)


def cue_mentions(doc, offset: int = 0) -> list[Mention]:
    """Names a parsed paragraph's NER left untagged, found from cues in the parse: a proper noun
    that speaks ("Leive said"), is a "who", or is the subject of a clause about "his"/"her" is a
    PERSON; an all-caps proper noun ("GCHQ") is an ORG; a one-word proper noun after in/at/near
    ("the freight line at Ostby") is a GPE. `doc` is a spaCy Doc; offsets + offset."""
    found: list[Mention] = []
    array = doc.to_array([POS, ENT_TYPE])
    for i in numpy.flatnonzero((array[:, 0] == PROPN_POS) & (array[:, 1] == 0)).tolist():
        token = doc[i]
        if token.is_stop:
            continue
        text = token.text
        if text.isupper() and 2 <= len(text) <= 6 and text.replace("&", "").isalpha():
            if text not in COMMON_ACRONYMS and not _ROMAN.match(text) and not _shouting(doc, token.i):
                found.append(Mention(offset + token.idx, offset + token.idx + len(text), text, "ORG"))
            continue
        if token.dep_ == "poss" and token.is_title and token.head.lemma_ in STATE_POSSESSIONS:
            found.append(Mention(offset + token.idx, offset + token.idx + len(text), text, "GPE"))  # "Eastmark's economy"
            continue
        next_is_name = token.i + 1 < len(doc) and doc[token.i + 1].pos_ == "PROPN"
        if next_is_name and is_given_name(text) and (token.i == 0 or doc[token.i - 1].pos_ != "PROPN"):
            name = _untagged_name(doc, token.i)
            if name is not None:
                found.append(Mention(offset + name.start_char, offset + name.end_char, name.text, PERSON))
                continue
        if (
            token.is_title
            and not next_is_name
            and token.i > 0
            and doc[token.i - 1].lower_ in ("in", "at", "near")
            and token.dep_ == "pobj"
            and not doc[token.i - 1].is_sent_start
        ):
            found.append(Mention(offset + token.idx, offset + token.idx + len(text), text, "GPE"))  # "at Ostby"
            continue
        if not token.is_title or token.dep_ not in ("nsubj", "nsubjpass") or next_is_name:
            continue
        head = token.head
        # from the tokens, not doc.text: Doc.text joins the whole doc on every call
        follows = "".join(t.text_with_ws for t in doc[token.i : token.i + 9])[len(text) : len(text) + 8]
        speaks = head.lemma_ in SPEECH_VERBS
        who = _WHO.match(follows) is not None
        about_him = any(t.lower_ in PERSONAL_PRONOUNS for t in _rest_of_sentence(doc, token.i))
        if speaks or who or about_him:
            start = token
            while start.i > 0 and doc[start.i - 1].pos_ == "PROPN" and doc[start.i - 1].is_title and not doc[start.i - 1].ent_type_:
                start = doc[start.i - 1]
            found.append(Mention(offset + start.idx, offset + token.idx + len(text), doc[start.i : token.i + 1].text, PERSON))
    return found


def _untagged_name(doc, i: int):
    """'Nils Ekdahl III': a given name at token i followed by one or two capitalised untagged
    proper nouns (and an optional generation suffix) that make no organisation or place name."""
    end = i + 1
    while end < len(doc) and end - i < 4 and doc[end].pos_ == "PROPN" and doc[end].is_title and not doc[end].ent_type_:
        end += 1
    if end < len(doc) and doc[end].text in ("Jr", "Jr.", "Sr", "Sr.", "II", "III", "IV") and not doc[end].ent_type_:
        end += 1
    if not 2 <= end - i <= 4 or (end < len(doc) and doc[end].pos_ == "PROPN"):
        return None
    span = doc[i:end]
    if is_known_place(span.text) or _head_label(Mention(0, 0, span.text, "RUN")) != "RUN" or span[-1].text in EVENT_HEADS:
        return None
    return span


def _single_mention(m: Mention, people: list[_Person]) -> bool:
    """A full name no other full name of the article shares its surname with."""
    surname = m.text.split()[-1]
    return sum(1 for p in people if p.words[-1] == surname) <= 1 and m.text in {p.full for p in people}


def _context_label(m: Mention, body: str, people: list[_Person]) -> str:
    """Labels from the words around a mention: "X, who" is a person; an unknown single-word
    "person" right after "in"/"at"/"near" or before ", where" is a place."""
    if m.label in REPAIRABLE_LABELS and m.label != "NORP" and _WHO.match(body[m.end : m.end + 8]):
        if not body[max(0, m.start - 4) : m.start].lower().endswith("the "):
            return PERSON
    single = " " not in m.text
    if m.label == "ORG" and single and not _ACRONYM.match(m.text) and _BETWEEN.search(body[max(0, m.start - 40) : m.start]):
        return "GPE"  # "between Kalvik and Dunmore"
    if m.label == PERSON and single and _person_for(m.text, m.start, people) is None:
        modified = _MODIFIER_OF.match(body[m.end : m.end + 20])
        if modified and _DETERMINER_BEFORE.search(body[max(0, m.start - 4) : m.start]) and modified.group(1) not in PERSON_MODIFIED:
            return "LOC" if modified.group(1) in GEO_NOUNS else "GPE"  # "the Marren estuary", "the Kestwick café"
    if (
        m.label == PERSON
        and (" " not in m.text or _single_mention(m, people))
        and (" " in m.text or _person_for(m.text, m.start, people) is None)
        and (_PLACE_PREPOSITION.search(body[max(0, m.start - 12) : m.start]) or _WHERE.match(body[m.end : m.end + 9]))
        and not body.startswith(("'s", "’s"), m.end)
    ):
        return "GPE"
    return m.label


# Words that make a capitalised run an organisation, place or event wherever they stand in it
# ("Lenn Valley Voices").
_NAME_WORDS = ORG_WORDS | LOC_HEADS | GPE_HEADS | EVENT_HEADS
_NOT_A_NAME_BEFORE = re.compile(r"\b(?:the|of|for)\s+$", re.IGNORECASE)  # "the Jordan", "Ministry of Justice"
_PLACE_OF = re.compile(r"\b(?:town|city|village|port|capital|state|province|region|county|municipality|suburb)\s+of\s+$", re.IGNORECASE)


def _place_label(m: Mention, body: str, people: list[_Person]) -> str:
    """A well-known place the model called a person, with nothing in the article saying it is
    one ("flew on to Rotterdam"), or called an organisation right after "in"/"at" or "the town of",
    is a place."""
    if not is_known_place(m.text):
        return m.label
    if m.label == PERSON:
        person = _person_for(m.text, m.start, people)
        # a region's name is often a person's too ("Devon", "Bono"): only where no subject stands
        quiet = m.role == "" or is_major_place(m.text)
        if (person is None or person.full == m.text) and quiet and m.role not in ("speaker", "person_subject") and not _WHO.match(body[m.end : m.end + 8]):
            return "GPE"
    if m.label == "ORG":
        before = body[max(0, m.start - 20) : m.start]
        if _PLACE_PREPOSITION.search(before) or _PLACE_OF.search(before):
            return "GPE"
    return m.label


# Endings of English and Nordic town names ("Saltmere", "Harrowby", "Westfield", "Kalvik").
_TOWN_ENDING = re.compile(
    r"[a-z](?:mere|by|ton|ham|ford|field|bury|borough|wick|mouth|port|worth|stead|thorpe|dale|"
    r"bridge|brook|combe|ley|hurst|well|holm|vik|minster|chester|caster|sted|ness)$"
)
_DETERMINER_NOUN = re.compile(r"^\s[a-z]+")


def _town_label(m: Mention, body: str, people: list[_Person]) -> str:
    """A one-word name after "the town of", "the port of" ... is a place; so is one that looks
    like a town ("Saltmere") and stands where a place does ("at Saltmere", "a Harrowby sailing
    club"), whatever the model called it."""
    if m.label in ("ORG", "NORP", PERSON) and " " not in m.text and _PLACE_OF.search(body[max(0, m.start - 20) : m.start]):
        return "GPE"
    if m.label not in ("ORG", "NORP", "LOC", PERSON) or " " in m.text or not _TOWN_ENDING.search(m.text):
        return m.label
    if m.role in ("speaker", "person_subject") or _person_for(m.text, m.start, people) is not None:
        return m.label
    if body.startswith(("'s", "’s"), m.end):
        return m.label
    before = body[max(0, m.start - 12) : m.start]
    if _PLACE_PREPOSITION.search(before) or before.endswith(" from "):
        return "GPE"  # "at Saltmere", "a teacher from Pelham"
    if m.label != "LOC" and _DETERMINER_BEFORE.search(before) and _DETERMINER_NOUN.match(body[m.end : m.end + 12]):
        return "GPE"
    return m.label


def _is_state(m: Mention, people: list[_Person]) -> bool:
    """A one-word name whose economy, parliament or currency the text talks about is a country or
    region, not a person or company ("Ostravia's economy" tagged ORG)."""
    return m.role == "state" and m.label in ("ORG", PERSON, "NORP") and " " not in m.text and _person_for(m.text, m.start, people) is None


def _given_name_label(m: Mention, body: str) -> str:
    """A two- or three-word name that starts with a given name and has no organisation or place
    word ("Yusuf Ardent" tagged ORG) is a person, and so is a lone given name ("Odile")."""
    if m.label not in REPAIRABLE_LABELS | {"LAW"} or m.label == "NORP" or _is_event(m.text):
        return m.label
    words = m.text.split()
    if len(words) == 1:
        before = body[max(0, m.start - 12) : m.start]
        if m.label != "LAW" and is_given_name(m.text, min_locales=2) and not is_known_place(m.text) and not (_PLACE_PREPOSITION.search(before) or _NOT_A_NAME_BEFORE.search(before)):
            return PERSON  # "Odile" tagged ORG
        return m.label
    if not 2 <= len(words) <= 3 or not is_given_name(words[0]) or is_known_place(m.text) or not _NAME_WORDS.isdisjoint(words[1:]):
        return m.label
    if _PLACE_PREPOSITION.search(body[max(0, m.start - 12) : m.start]):
        return m.label  # "in Santa Rosa"
    if all(w[:1].isupper() and w.replace("-", "").replace(".", "").isalpha() for w in words) and _head_label(replace(m, label="RUN")) == "RUN":
        return PERSON
    return m.label


def _head_label(m: Mention) -> str:
    """The label a name's own words give it: "... Council" is an ORG, "... Street" a LOC,
    "... Springs" a GPE. A PERSON keeps its label unless an organisation word says otherwise
    (surnames like Park or Hall end in place words)."""
    words = m.text.split()
    if len(words) < 2 and words[0] not in ORG_FIRST_WORDS:
        return m.label
    last = words[-1]
    before_of = words[words.index("of") - 1] if "of" in words[1:] else None
    if (m.label != PERSON and (last in LOC_HEADS or words[0] in LOC_FIRST_WORDS)) or last in STREET_HEADS:
        return "LOC"
    if last in ORG_WORDS or before_of in ORG_WORDS or words[0] in ORG_FIRST_WORDS:
        return "ORG"
    if m.label != PERSON and last in GPE_HEADS:
        return "GPE"
    return m.label


def _head_label_of(m: Mention) -> Mention:
    return replace(m, label=_head_label(m))


def _name_runs(mentions: list[Mention], body: str, ranges: list[tuple[int, int]]) -> list[Mention]:
    """Capitalised runs whose words make them an organisation or place ("Lenn Valley County
    Council", "River Lenn") replace the pieces the model tagged inside them, or are added."""
    runs = []
    for start, end in ranges:
        for match in _NAME_RUN.finditer(body, start, end):
            words = [(w.group(0), w.start(), w.end()) for w in _WORD.finditer(body, match.start(), match.end())]
            for piece in _run_pieces(words):
                text = body[piece[0][1] : piece[-1][2]]
                run = Mention(piece[0][1], piece[-1][2], text, _head_label(Mention(piece[0][1], piece[-1][2], text, "RUN")))
                if run.label != "RUN":
                    runs.extend(_split_places(run))
    if not runs:
        return mentions
    kept = list(mentions)
    for run in runs:
        inside = [m for m in kept if run.start <= m.start and m.end <= run.end]
        crossing = [m for m in kept if m.start < run.end and run.start < m.end and m not in inside]
        if crossing or any(m.start == run.start and m.end == run.end and m.label == run.label for m in inside):
            continue
        kept = [m for m in kept if m not in inside] + [run]
    return kept


def _run_pieces(words: list[tuple[str, int, int]]) -> list[list[tuple[str, int, int]]]:
    """A capitalised run cut where "of"/"for" joins two names rather than naming one
    ("Mayor Donovan Price | Tallow Creek", but "Bank of Eastmark"), without leading articles
    and titles."""
    pieces, current = [], []
    for k, word in enumerate(words):
        if word[0] in ("of", "for") and (k == 0 or words[k - 1][0] not in ORG_WORDS | ORG_OF_WORDS):
            pieces.append(current)
            current = []
        else:
            current.append(word)
    pieces.append(current)
    cleaned = []
    for piece in pieces:
        while piece and piece[-1][0] in ("of", "for", "the", "and", "&"):
            piece = piece[:-1]
        while piece and (piece[0][0] in ("the", "and", "&") or piece[0][0].lower() in _FUNCTION_WORDS):
            piece = piece[1:]  # "The", "In Hong Kong's High Court" at the start of a sentence
        while piece and _LOWER_COMPOUND.search(piece[0][0]):
            piece = piece[1:]  # "Oxford-based Lenn Foods"
        piece = piece[_title_words([w for w, _, _ in piece]) :] if piece else piece
        if len(piece) >= 2:
            cleaned.append(piece)
    return cleaned


def _role_label(m: Mention, body: str) -> str:
    """'chair Marcus Feld', 'retired nurse Beatrice Holloway': a name after a role is a person."""
    if m.label == PERSON or m.label not in REPAIRABLE_LABELS or len(m.text.split()) > 3:
        return m.label
    before = body[max(0, m.start - 20) : m.start].split()
    if before and before[-1].lower().rstrip(",") in ROLE_WORDS and body[m.start - 1] == " ":
        return PERSON
    return m.label


# Common nouns for kinds of organisation, which a name after them is one of ("campaign group
# Breathe Easy", "the broadcaster Lenn FM").
ORG_TYPE_NOUNS = frozenset(
    "group charity firm company organisation organization agency union club band party campaign "
    "association network startup start-up broadcaster newspaper publisher retailer bank insurer "
    "airline supermarket chain developer operator carrier lender".split()
)


def _org_type_label(m: Mention, label: str, body: str) -> str:
    """'campaign group Breathe Easy': a name right after a kind of organisation is one, unless it
    starts with a given name."""
    if label == "ORG" or label not in REPAIRABLE_LABELS | {PERSON} or body[m.start - 1 : m.start] != " ":
        return label
    before = body[max(0, m.start - 20) : m.start].split()
    if not before or before[-1] not in ORG_TYPE_NOUNS or is_given_name(m.text.split()[0]):
        return label
    return "ORG"


def _role_names(mentions: list[Mention], body: str, ranges: list[tuple[int, int]]) -> list[Mention]:
    """Names right after a role word that the model left untagged ("chair Per Axelsson")."""
    added: list[Mention] = []
    replaced: set[int] = set()
    for start, end in ranges:
        for match in _ROLE_NAME.finditer(body, start, end):
            if match.group(1).lower() not in ROLE_WORDS:
                continue
            s, e = match.start(2), match.end(2)
            overlapping = [m for m in mentions if m.start < e and s < m.end]
            if all(m.label == PERSON and s <= m.start and m.end <= e for m in overlapping):
                named = trim(Mention(s, e, match.group(2), PERSON))  # "chair Per Axelsson"
                if named is not None:  # "Detective Constable Priya Nair" -> "Priya Nair"
                    added.append(named)
                replaced.update(id(m) for m in overlapping)
    return [m for m in mentions if id(m) not in replaced] + added


def _surname_label(m: Mention, names: set[str], given_names: set[str], surnames: set[str]) -> str:
    if m.label not in REPAIRABLE_LABELS:
        return m.label
    if m.text in names or (m.text in given_names and m.label not in PLACE_LABELS):
        return PERSON
    words = m.text.split()
    if 2 <= len(words) <= 3 and words[-1] in surnames and _head_label(m) == m.label:
        return PERSON  # "Imogen Hale" tagged ORG when "Hale" is a person
    return m.label


# First words of names of storms.
EVENT_FIRST_WORDS = frozenset({"Storm", "Hurricane", "Typhoon", "Cyclone"})


def _is_event(name: str) -> bool:
    """'Lenn Valley Cup', 'Storm Ingrid': names of events, shows and storms."""
    words = name.split()
    return len(words) > 1 and (words[-1] in EVENT_HEADS or words[0] in EVENT_FIRST_WORDS)


# Common nouns that are capitalised on their own ("the Government") without naming anything.
GENERIC_NOUNS = frozenset("government administration state city town county country nation region".split())


def _generic_word(m: Mention) -> bool:
    """A capitalised common noun on its own ("the Government", "Director", "Farmers") is not a name."""
    if " " in m.text:
        return False
    word = m.text.lower()
    singular = word[:-1] if word.endswith("s") else word
    return word in GENERIC_NOUNS or word in ROLE_WORDS or singular in ROLE_WORDS


def resolve_mentions(mentions: list[Mention], body: str, sentence_ranges: list[tuple[int, int]] | None = None) -> list[Mention]:
    """Trimmed, label-repaired mentions (plus missed names) with canonical names, in text order."""
    found = [
        t
        for t in (trim(p) for m in mentions for p in _split_joined(m))
        if t is not None and not _generic_word(t)
    ]
    if sentence_ranges:
        found = _role_names(_name_runs(found, body, sentence_ranges), body, sentence_ranges)
    found = [replace(m, label=_org_type_label(m, _role_label(m, body), body)) for m in found]
    found = [_head_label_of(replace(m, label="LOC") if m.label == "FAC" else m) for m in found]
    found = [replace(m, label="EVENT") if _is_event(m.text) else m for m in found]
    people = _people(found)
    names = {p.full for p in people} | {p.words[-1] for p in people}
    given_names = {p.words[0] for p in people}
    surnames = names | {m.text for m in found if m.label == PERSON and " " not in m.text}
    found = [replace(m, label=_surname_label(m, names, given_names, surnames)) for m in found]
    people = _people(found)
    found = [replace(m, label=_context_label(m, body, people)) for m in found]
    found = [replace(m, label=_place_label(m, body, people)) for m in found]
    found = [replace(m, label=_town_label(m, body, people)) for m in found]
    found = [replace(m, label="GPE") if _is_state(m, people) else m for m in found]
    found = [replace(m, label=_given_name_label(m, body)) for m in found]
    if sentence_ranges:
        found += _missed_person_mentions(found, people, body, sentence_ranges)
    found = _towns_agree(found)
    if sentence_ranges:
        found += _missed_place_mentions(found, body, sentence_ranges)
        acronyms = {m.text for m in found if m.label == "ORG" and _ACRONYM.match(m.text) and m.text not in COMMON_ACRONYMS}
        found += _missed_mentions(found, acronyms, "ORG", body, sentence_ranges)  # "WHO director-general ..."
    found = [replace(m, label=_acting_label(m)) for m in found]
    full_org_names = _full_org_names(found)
    found = _short_org_names(found, people, full_org_names)
    expansions: dict[str, str] | None = None
    resolved = []
    for m in sorted(found, key=lambda m: m.start):
        canonical = " ".join(m.text.split())
        if m.label == PERSON:
            person = _person_for(canonical, m.start, people)
            if person is not None:
                canonical = person.full
        elif canonical in ALIASES:
            canonical = ALIASES[canonical]
        elif _ACRONYM.match(canonical):
            if expansions is None:
                expansions = _expansions(found, body)
            canonical = expansions.get(_acronym_letters(canonical), canonical)
        elif m.label == "ORG":
            canonical = _with_legal_suffix(canonical, found)
            if " " not in canonical:
                canonical = full_org_names.get(canonical, canonical)
        resolved.append(replace(m, canonical=canonical))
    return resolved


_AND = re.compile(r"\s+(?:and|&)\s+")
_NAME_AND_ACRONYM = re.compile(r"^(.*\S)\s+\(([A-Z][A-Z.&]{1,9})\)?$")


_IN = re.compile(r"\s+in\s+(?=[A-Z])")


def _split_joined(m: Mention) -> list[Mention]:
    """The names one model span joined: a name and its bracketed acronym, an organisation and
    the place it is in, two places."""
    return [p for a in _split_acronym(m) for i in _split_in_place(a) for p in _split_places(i)]


def _split_in_place(m: Mention) -> list[Mention]:
    """'Riverside Bakery in Dunmere' tagged as one name is an organisation (or building) and the
    place it is in, when the first part ends in an organisation or place word."""
    match = _IN.search(m.text)
    if match is None:
        return [m]
    head = replace(m, end=m.start + match.start(), text=m.text[: match.start()])
    label = _head_label(replace(head, label="RUN"))
    if label not in ("ORG", "LOC") or " " not in head.text:
        return [m]
    return [replace(head, label=label), Mention(m.start + match.end(), m.end, m.text[match.end() :], "GPE")]


def _split_acronym(m: Mention) -> list[Mention]:
    """'World Health Organization (WHO' tagged as one name is the name and its acronym."""
    match = _NAME_AND_ACRONYM.match(m.text)
    if match is None:
        return [m]
    acronym_start = m.start + match.start(2)
    return [
        replace(m, end=m.start + match.end(1), text=match.group(1)),
        Mention(acronym_start, acronym_start + len(match.group(2)), match.group(2), m.label),
    ]


def _split_places(m: Mention) -> list[Mention]:
    """'Millbrook and Harrowby Point' tagged as one place is two places ("Trinidad and Tobago",
    a known place, stays whole); so is 'Exeter and Penzance' tagged as anything when one of them
    is a known place."""
    if _AND.search(m.text) is None or is_known_place(m.text):
        return [m]
    parts, pos = [], 0
    for separator in [*_AND.finditer(m.text), None]:
        end = separator.start() if separator else len(m.text)
        text = m.text[pos:end]
        if not text[:1].isupper():
            return [m]
        parts.append(replace(m, start=m.start + pos, end=m.start + end, text=text))
        pos = separator.end() if separator else end
    if m.label not in PLACE_LABELS:
        if not any(is_known_place(p.text) for p in parts):
            return [m]
        parts = [replace(p, label="GPE") for p in parts]
    return [replace(p, label=_head_label(p)) for p in parts]


# Labels of names that cannot say anything: a longer one that speaks is an organisation.
THINGS_THAT_CANNOT_SPEAK = frozenset({"PRODUCT", "LAW"})


def _acting_label(m: Mention) -> str:
    """A one-word name that says something ("Marwick explains", "says Oduya") is a person; a
    longer "product" or "law" that speaks is an organisation."""
    if m.role == "speaker" and m.label in REPAIRABLE_LABELS and " " not in m.text and not _ACRONYM.match(m.text):
        return PERSON
    if m.role == "speaker" and m.label in THINGS_THAT_CANNOT_SPEAK and " " in m.text and not _AND.search(m.text):
        return "ORG"  # "the Castellan Water District said"
    if (
        m.role == "person_subject"
        and m.label in REPAIRABLE_LABELS - {"NORP"}
        and 2 <= len(m.text.split()) <= 3
        and all(w[:1].isupper() and w.isalpha() for w in m.text.split())
        and _head_label(replace(m, label="RUN")) == "RUN"
    ):
        return PERSON  # "Nadia Ferrant went home after her shift"
    return m.label


def _towns_agree(mentions: list[Mention]) -> list[Mention]:
    """A one-word name the article uses as a place somewhere ("in Belford") is that place where
    the model called it an organisation ("Belford councillor Ayesha Rahman")."""
    places = {m.text for m in mentions if m.label == "GPE" and " " not in m.text and not _ACRONYM.match(m.text)}
    return [replace(m, label="GPE") if m.label in ("ORG", "NORP") and m.text in places else m for m in mentions]


def _full_org_names(mentions: list[Mention]) -> dict[str, str]:
    """First word -> the organisation it starts, for names ending in an organisation word
    ("Greystone" -> "Greystone Holdings"), when only one such organisation starts with it."""
    full: dict[str, set[str]] = {}
    for m in mentions:
        words = m.text.split()
        if m.label == "ORG" and len(words) >= 2 and (words[-1] in ORG_WORDS or words[-1] in LEGAL_SUFFIXES):
            full.setdefault(words[0], set()).add(" ".join(words))
    return {first: names.pop() for first, names in full.items() if len(names) == 1}


def _short_org_names(mentions: list[Mention], people: list[_Person], full: dict[str, str]) -> list[Mention]:
    """A one-word name that starts an organisation's name in the article (`full`, from
    `_full_org_names`) is that organisation ("Calder said" after "Calder Pharma"), unless it
    names a person or a place."""
    if not full:
        return mentions
    people_words = {w for p in people for w in p.words}
    return [
        replace(m, label="ORG")
        if " " not in m.text and m.text in full and m.label not in PLACE_LABELS | {"NORP"} and m.text not in people_words
        else m
        for m in mentions
    ]


def _with_legal_suffix(name: str, mentions: list[Mention]) -> str:
    """'Lenn Ferries' -> 'Lenn Ferries Ltd' when the article names the company in full."""
    for m in mentions:
        words = m.text.split()
        if m.label == "ORG" and len(words) >= 2 and words[-1] in LEGAL_SUFFIXES and " ".join(words[:-1]) == name:
            return m.text
    return name
