"""Entity repairs as registered rules: each fixes one kind of error a small NER model makes on
news text, in the order `RULES` lists them, and each carries an invented example (`Example`:
text, the model's mentions, what the rule makes of them) that `tests/test_nlp_entity_rules.py`
runs.

A rule is a function from the article (`Article`: body, sentence ranges, current mentions) to
the new mention list, registered with `@rule(Example(...))`; `@relabel` turns a function that
gives one mention's label into such a rule. Adding a rule: write the function and its example
here, at the place in the order where its input is ready (span rules first, then the rules that
add missed names, then labels). Removing one: delete it, or run `resolve_mentions(...,
rules=[r for r in RULES if r.name != "..."])`; `bench/entity_rules.py` prints what removing each
rule does to the UNER PUD score. docs/nlp.md lists them.
"""

from __future__ import annotations

import re
from bisect import bisect_right, insort
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from newskit.gazetteer import is_country, is_given_name, is_known_place, is_major_place

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
# Titles that start the names of places and organisations too ("St. Petersburg", "St Mary's Hospital").
SAINTS = frozenset({"Saint", "St.", "St", "San", "Santa", "Sankt"})
_TITLES_BY_FIRST: dict[str, list[tuple[str, ...]]] = {}
for _title in TITLES:
    _TITLES_BY_FIRST.setdefault(_title[0], []).append(_title)
_NATIONALITY = re.compile(r"^[A-Z][a-z]+(?:an|ian|ese|ish|i|ch)$")  # "Russian", "Chinese", "Israeli"

_ACRONYM = re.compile(r"^[A-Z](?:\.?[A-Z&]){1,7}\.?$")
NAME_PARTICLES = frozenset({"de", "da", "di", "del", "della", "van", "von", "der", "den", "al", "el", "bin", "ibn", "le", "la", "du", "dos", "das"})
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
_SCORE = re.compile(r"\s+\d{1,2}\s?[-–]\s?\d{1,2}$")


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
        if titles and (words[0] in SAINTS and mention.label != PERSON or _is_place_name(" ".join(words))):
            titles = 0  # "St. Petersburg", "San Diego", "Prince George": the title is the place's
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
    if score := _SCORE.search(mention.text):  # "Carlisle 2-1"
        mention = _cut_end(mention, score.start())
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


def _is_place_name(text: str) -> bool:
    """A known place, written with "St." or "Saint" ("St. Petersburg" is GeoNames' "Saint Petersburg")."""
    return is_known_place(text) or is_known_place(re.sub(r"^St\.? ", "Saint ", text))


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
# Organisation words that are surnames too: after a given name, the model's PERSON stands.
SURNAME_LIKE_ORG_WORDS = frozenset({"Court", "Bank", "Banks", "Press", "Trust", "Union", "Board", "Service", "Capital", "Chambers"})
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
_WHERE = re.compile(r"^,\s+where\b")
_WHO = re.compile(r"^,?\s+who(?:se|m)?\b")
_PLACE_PREPOSITION = re.compile(r"\b(?:in|at|near|outside|across|throughout|inside)\s+$")

def _single_mention(m: Mention, people: list[_Person]) -> bool:
    """A full name no other full name of the article shares its surname with."""
    surname = m.text.split()[-1]
    return sum(1 for p in people if p.words[-1] == surname) <= 1 and m.text in {p.full for p in people}


def _context_label(m: Mention, body: str, people: list[_Person]) -> str:
    """Labels from the words around a mention: "X, who" is a person; an unknown single-word
    "person" right after "in"/"at"/"near" or before ", where" is a place."""
    if m.label in REPAIRABLE_LABELS and m.label != "NORP" and _WHO.match(body[m.end : m.end + 8]):
        # a country or a team is written with "who" too ("Norway, who won the group")
        team = is_known_place(m.text) or _head_label(replace(m, label="RUN")) != "RUN"
        if not team and not body[max(0, m.start - 4) : m.start].lower().endswith("the "):
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
        if m.label == PERSON and last in SURNAME_LIKE_ORG_WORDS and len(words) <= 3 and is_given_name(words[0]):
            return PERSON  # "Margaret Court", "Tyra Banks": a given name and a surname
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
        if crossing or any(m.start == run.start and m.end == run.end and (m.label == run.label or _named_person(m)) for m in inside):
            continue  # the model's person of the same words stays a person ("Dana Court")
        kept = [m for m in kept if m not in inside] + [run]
    return kept


def _named_person(m: Mention) -> bool:
    """A PERSON mention that starts with a given name ("Dana Court", not "Harrowby Point")."""
    return m.label == PERSON and is_given_name(m.text.split()[0])


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


def _acting_label(m: Mention, article: Article) -> str:
    """A one-word name that says something ("Marwick explains", "says Oduya") is a person, unless
    it is a known place or a place of the article ("Norway said"); a longer "product" or "law"
    that speaks is an organisation."""
    if m.role == "speaker" and m.label in REPAIRABLE_LABELS and " " not in m.text and not _ACRONYM.match(m.text):
        if m.label in PLACE_LABELS and (is_known_place(m.text) or m.text in _article_places(article)):
            return m.label
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


def _article_places(article: Article) -> set[str]:
    return {m.text for m in article.mentions if m.label in PLACE_LABELS and m.role != "speaker"}


def _towns_agree(mentions: list[Mention]) -> list[Mention]:
    """A one-word name the article uses as a place somewhere ("in Belford") is that place where
    the model called it an organisation ("Belford councillor Ayesha Rahman")."""
    places = {m.text for m in mentions if m.label == "GPE" and " " not in m.text and not _ACRONYM.match(m.text)}
    return [replace(m, label="GPE") if m.label in ("ORG", "NORP") and m.text in places else m for m in mentions]


def full_org_names(mentions: list[Mention]) -> dict[str, str]:
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
    `full_org_names`) is that organisation ("Calder said" after "Calder Pharma"), unless it
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



# ---------------------------------------------------------------- the registry


@dataclass
class Article:
    """What a rule sees: the body, its sentence ranges (empty when unknown) and the mentions so far."""

    body: str
    ranges: list[tuple[int, int]]
    mentions: list[Mention]
    _people: list[_Person] = field(default_factory=list, repr=False)
    _people_of: list[Mention] | None = field(default=None, repr=False)

    def people(self) -> list[_Person]:
        """People named in full in the current mentions (computed again after a rule changed them)."""
        if self._people_of is not self.mentions:
            self._people, self._people_of = _people(self.mentions), self.mentions
        return self._people


@dataclass(frozen=True)
class Example:
    """A rule's fixture, invented: a text, the mentions a model gave for it ((text, label) or
    (text, label, role), in text order) and the mentions after the rule ((text, label))."""

    body: str
    given: tuple[tuple[str, ...], ...]
    expected: tuple[tuple[str, str], ...]

    def mentions(self) -> list[Mention]:
        found, at = [], 0
        for text, label, *role in self.given:
            start = self.body.index(text, at)
            found.append(Mention(start, start + len(text), text, label, role=role[0] if role else ""))
            at = start + 1
        return found

    def article(self) -> Article:
        return Article(self.body, _sentence_ranges(self.body), self.mentions())


def _sentence_ranges(body: str) -> list[tuple[int, int]]:
    """Sentence ranges of an example: split after '. ' (examples are written to allow it)."""
    ranges, start = [], 0
    for match in re.finditer(r"(?<=[.!?])\s+", body):
        ranges.append((start, match.start()))
        start = match.end()
    return ranges + [(start, len(body))] if start < len(body) else ranges


@dataclass(frozen=True)
class Rule:
    name: str
    apply: Callable[[Article], list[Mention]]
    example: Example
    needs_sentences: bool = False  # runs only when the caller gives sentence ranges

    @property
    def summary(self) -> str:
        return " ".join((self.apply.__doc__ or "").split())


RULES: list[Rule] = []


def rule(example: Example, needs_sentences: bool = False) -> Callable[[Callable[[Article], list[Mention]]], Callable[[Article], list[Mention]]]:
    """Register a rule, with its example, at the end of `RULES`."""

    def register(apply: Callable[[Article], list[Mention]]) -> Callable[[Article], list[Mention]]:
        RULES.append(Rule(apply.__name__, apply, example, needs_sentences))
        return apply

    return register


def relabel(label_of: Callable[[Mention, Article], str]) -> Callable[[Article], list[Mention]]:
    """A rule from a function that gives one mention's label."""

    def apply(article: Article) -> list[Mention]:
        return [m if (label := label_of(m, article)) == m.label else replace(m, label=label) for m in article.mentions]

    apply.__name__, apply.__doc__ = label_of.__name__, label_of.__doc__
    return apply


def run_rules(mentions: list[Mention], body: str, ranges: list[tuple[int, int]] | None, rules: list[Rule] | None = None) -> Article:
    """The article after every rule, in order."""
    article = Article(body, list(ranges or []), list(mentions))
    for r in RULES if rules is None else rules:
        if r.needs_sentences and not article.ranges:
            continue
        article.mentions = r.apply(article)
    return article


# ---------------------------------------------------------------- the rules, in order


@rule(Example(
    "The World Health Organization (WHO) praised Riverside Bakery in Dunmere and the Millbrook and Harrowby Point ferries.",
    (("World Health Organization (WHO", "ORG"), ("Riverside Bakery in Dunmere", "ORG"), ("Millbrook and Harrowby Point", "GPE")),
    (("World Health Organization", "ORG"), ("WHO", "ORG"), ("Riverside Bakery", "ORG"), ("Dunmere", "GPE"), ("Millbrook", "GPE"), ("Harrowby Point", "GPE")),
))  # fmt: skip
def split_joined_names(article: Article) -> list[Mention]:
    """One span, several names: a name and its bracketed acronym, an organisation and the place
    it is in, two places joined by "and" (not a known place such as "Trinidad and Tobago")."""
    return [p for m in article.mentions for p in _split_joined(m)]


@rule(Example(
    "President Ilse Varga met the Lenn Ferries board in St. Petersburg on Varga’s first visit.",
    (("President Ilse Varga", "PERSON"), ("the Lenn Ferries", "ORG"), ("St. Petersburg", "GPE"), ("Varga’s", "PERSON")),
    (("Ilse Varga", "PERSON"), ("Lenn Ferries", "ORG"), ("St. Petersburg", "GPE"), ("Varga", "PERSON")),
))  # fmt: skip
def trim_spans(article: Article) -> list[Mention]:
    """A leading "the", titles and roles ("President", "Councillor"), a trailing possessive,
    unclosed brackets and lower-case edge words are cut; a saint's or a title's name that is a
    place keeps it ("St. Petersburg", "Prince George"); mentions without a capital are dropped."""
    return [t for t in (trim(m) for m in article.mentions) if t is not None]


@rule(Example(
    "The Government told Farmers in Eastmark to wait.",
    (("Government", "ORG"), ("Farmers", "NORP"), ("Eastmark", "GPE")),
    (("Eastmark", "GPE"),),
))  # fmt: skip
def drop_common_nouns(article: Article) -> list[Mention]:
    """A capitalised common noun or role on its own ("the Government", "Director", "Farmers") is no name."""
    return [m for m in article.mentions if not _generic_word(m)]


@rule(Example(
    "Lenn Valley County Council met Dana Court in Harbour Parade.",
    (("Lenn Valley", "GPE"), ("Dana Court", "PERSON")),
    (("Lenn Valley County Council", "ORG"), ("Dana Court", "PERSON"), ("Harbour Parade", "LOC")),
), needs_sentences=True)  # fmt: skip
def name_runs(article: Article) -> list[Mention]:
    """Capitalised runs whose words make them an organisation or a place ("Lenn Valley County
    Council", "Harbour Parade") replace the pieces tagged inside them, or are added; a person
    the model tagged whose name starts with a given name is never made into such a run of the
    same words ("Dana Court")."""
    return _name_runs(article.mentions, article.body, article.ranges)


@rule(Example(
    "The chair Per Axelsson thanked the volunteers.",
    (("Per", "PERSON"),),
    (("Per Axelsson", "PERSON"),),
), needs_sentences=True)  # fmt: skip
def names_after_roles(article: Article) -> list[Mention]:
    """Names right after a role word that the model left untagged or cut ("chair Per Axelsson")."""
    return _role_names(article.mentions, article.body, article.ranges)


@rule(Example(
    "The retired nurse Brannoch Holloway opened the fete.",
    (("Brannoch Holloway", "ORG"),),
    (("Brannoch Holloway", "PERSON"),),
))  # fmt: skip
@relabel
def role_makes_a_person(m: Mention, article: Article) -> str:
    """A name of up to three words right after a role word is a person ("retired nurse Beatrice Holloway")."""
    return _role_label(m, article.body)


@rule(Example(
    "The campaign group Breathe Easy sued the council.",
    (("Breathe Easy", "PERSON"),),
    (("Breathe Easy", "ORG"),),
))  # fmt: skip
@relabel
def kind_of_organisation(m: Mention, article: Article) -> str:
    """A name right after a kind of organisation is one ("campaign group Breathe Easy"), unless it starts with a given name."""
    return _org_type_label(m, m.label, article.body)


@rule(Example(
    "Traffic stopped on the Grimsey Flyover.",
    (("the Grimsey Flyover", "FAC"),),
    (("the Grimsey Flyover", "LOC"),),
))  # fmt: skip
@relabel
def facilities_are_places(m: Mention, article: Article) -> str:
    """Facilities (streets, buildings, bridges: OntoNotes FAC) are LOC, as the gold sets label them."""
    return "LOC" if m.label == "FAC" else m.label


@rule(Example(
    "Dana Ferries closed Harbour Parade near Tallow Creek, Margaret Court said.",
    (("Dana Ferries", "PERSON"), ("Harbour Parade", "ORG"), ("Tallow Creek", "ORG"), ("Margaret Court", "PERSON")),
    (("Dana Ferries", "ORG"), ("Harbour Parade", "LOC"), ("Tallow Creek", "GPE"), ("Margaret Court", "PERSON")),
))  # fmt: skip
@relabel
def name_words(m: Mention, article: Article) -> str:
    """A name's own words decide its label: "... Rail", "... Council" an ORG, "... Street",
    "River ..." a LOC, "... Creek" a GPE; a person keeps the label unless an organisation word
    says otherwise (surnames such as Park or Hall are place words)."""
    return _head_label(m)


@rule(Example(
    "Storm Ingrid cancelled the Lenn Valley Cup.",
    (("Storm Ingrid", "PERSON"), ("the Lenn Valley Cup", "ORG")),
    (("Storm Ingrid", "EVENT"), ("the Lenn Valley Cup", "EVENT")),
))  # fmt: skip
@relabel
def events(m: Mention, article: Article) -> str:
    """Names ending in an event or show word ("... Cup", "... Awards") and storms are EVENT."""
    return "EVENT" if _is_event(m.text) else m.label


@rule(Example(
    "Imogen Hale and Tom Hale met. Hale thanked Tom.",
    (("Imogen Hale", "ORG"), ("Tom Hale", "PERSON"), ("Hale", "GPE"), ("Tom", "NORP")),
    (("Imogen Hale", "PERSON"), ("Tom Hale", "PERSON"), ("Hale", "PERSON"), ("Tom", "PERSON")),
))  # fmt: skip
def surnames_are_people(article: Article) -> list[Mention]:
    """A surname or given name of a person the article names in full is that person, whatever
    the model called it (a given name tagged as a place stays a place: "Jordan")."""
    people = article.people()
    names = {p.full for p in people} | {p.words[-1] for p in people}
    given_names = {p.words[0] for p in people}
    surnames = names | {m.text for m in article.mentions if m.label == PERSON and " " not in m.text}
    return [replace(m, label=_surname_label(m, names, given_names, surnames)) for m in article.mentions]


@rule(Example(
    "Kerrow, who chairs the board, met Norway, who won the group, in Lisvik, where the talks were held.",
    (("Kerrow", "ORG"), ("Norway", "GPE"), ("Lisvik", "PERSON")),
    (("Kerrow", "PERSON"), ("Norway", "GPE"), ("Lisvik", "GPE")),
))  # fmt: skip
@relabel
def who_and_where(m: Mention, article: Article) -> str:
    """The words around a name: "X, who" is a person (not a country or a team: "Norway, who won
    the group"); an unknown one-word "person" after in/at/near or before ", where" is a place."""
    return _context_label(m, article.body, article.people())


@rule(Example(
    "The ship flew on to Rotterdam after a stop in Ipswich Council.",
    (("Rotterdam", "PERSON"),),
    (("Rotterdam", "GPE"),),
))  # fmt: skip
@relabel
def known_places(m: Mention, article: Article) -> str:
    """A well-known place the model called a person, with nothing in the article saying it is
    one, is a place; so is one it called an organisation after "in"/"at" or "the town of"."""
    return _place_label(m, article.body, article.people())


@rule(Example(
    "A teacher from Pelham joined the Copperby rowing club.",
    (("Pelham", "PERSON"), ("Copperby", "ORG")),
    (("Pelham", "GPE"), ("Copperby", "GPE")),
))  # fmt: skip
@relabel
def towns(m: Mention, article: Article) -> str:
    """A one-word name after "the town/port of", or one that looks like a town ("-by", "-ham")
    and stands where a place does ("from Pelham", "a Copperby club"), is a place."""
    return _town_label(m, article.body, article.people())


@rule(Example(
    "Ostravia's economy shrank.",
    (("Ostravia", "ORG", "state"),),
    (("Ostravia", "GPE"),),
))  # fmt: skip
@relabel
def states_by_what_they_have(m: Mention, article: Article) -> str:
    """A one-word name whose economy, parliament or currency the sentence talks about is a country or region."""
    return "GPE" if _is_state(m, article.people()) else m.label


@rule(Example(
    "Yusuf Ardent praised Odile at the Minister for Justice meeting.",
    (("Yusuf Ardent", "ORG"), ("Odile", "ORG"), ("Justice", "ORG")),
    (("Yusuf Ardent", "PERSON"), ("Odile", "PERSON"), ("Justice", "ORG")),
))  # fmt: skip
@relabel
def given_names(m: Mention, article: Article) -> str:
    """A 2-3 word name that starts with a given name and has no organisation or place word is a
    person ("Yusuf Ardent" tagged ORG), and so is a lone given name of two or more locales
    ("Odile"), unless "the", "of", "for" or a place preposition comes before it."""
    return _given_name_label(m, article.body)


@rule(Example(
    "Vladimir Ostrov arrived late. Ostrov met the press.",
    (("Vladimir Ostrov", "PERSON"),),
    (("Vladimir Ostrov", "PERSON"), ("Ostrov", "PERSON")),
), needs_sentences=True)  # fmt: skip
def missed_people(article: Article) -> list[Mention]:
    """Untagged occurrences of a known person's full name, surname or given name are added."""
    return article.mentions + _missed_person_mentions(article.mentions, article.people(), article.body, article.ranges)


@rule(Example(
    "The council in Belford met. Belford councillor Ayesha Rahman spoke.",
    (("Belford", "GPE"), ("Belford", "ORG"), ("Ayesha Rahman", "PERSON")),
    (("Belford", "GPE"), ("Belford", "GPE"), ("Ayesha Rahman", "PERSON")),
))  # fmt: skip
def towns_agree(article: Article) -> list[Mention]:
    """A one-word name the article uses as a place somewhere is that place where the model called it an organisation."""
    return _towns_agree(article.mentions)


@rule(Example(
    "Trains stopped at the port of Kelso. Kelso mayor Tom Ilves was angry.",
    (("Kelso", "GPE"), ("Tom Ilves", "PERSON")),
    (("Kelso", "GPE"), ("Kelso", "GPE"), ("Tom Ilves", "PERSON")),
), needs_sentences=True)  # fmt: skip
def missed_places(article: Article) -> list[Mention]:
    """Untagged repeats of the article's one-word places are added."""
    return article.mentions + _missed_place_mentions(article.mentions, article.body, article.ranges)


@rule(Example(
    "The WHO warned. WHO director Ana Ruiz agreed.",
    (("WHO", "ORG"), ("Ana Ruiz", "PERSON")),
    (("WHO", "ORG"), ("WHO", "ORG"), ("Ana Ruiz", "PERSON")),
), needs_sentences=True)  # fmt: skip
def missed_acronyms(article: Article) -> list[Mention]:
    """Untagged repeats of the article's acronyms are added (the tagger reads "WHO" as the pronoun)."""
    acronyms = {m.text for m in article.mentions if m.label == "ORG" and _ACRONYM.match(m.text) and m.text not in COMMON_ACRONYMS}
    return article.mentions + _missed_mentions(article.mentions, acronyms, "ORG", article.body, article.ranges)


@rule(Example(
    "Marwick said the Castellan Water District said no, and Norway said it agreed.",
    (("Marwick", "ORG", "speaker"), ("the Castellan Water District", "LAW", "speaker"), ("Norway", "GPE", "speaker")),
    (("Marwick", "PERSON"), ("the Castellan Water District", "ORG"), ("Norway", "GPE")),
))  # fmt: skip
@relabel
def speakers_are_people(m: Mention, article: Article) -> str:
    """A one-word name that says something is a person, but not a known place or one of the
    article's places ("Norway said"); a longer "product" or "law" that speaks is an organisation."""
    return _acting_label(m, article)


@rule(Example(
    "Calder Pharma cut jobs. Calder said the plant would close.",
    (("Calder Pharma", "ORG"), ("Calder", "PERSON")),
    (("Calder Pharma", "ORG"), ("Calder", "ORG")),
))  # fmt: skip
def short_organisation_names(article: Article) -> list[Mention]:
    """A one-word name that starts an organisation's name in the article is that organisation,
    unless it names a person or a place."""
    return _short_org_names(article.mentions, article.people(), full_org_names(article.mentions))


# Words that make a place's name a sports club's: "Leeds's manager", "Barcelona fans", "the Lyon squad".
CLUB_WORDS = frozenset(
    "manager coach boss striker forward midfielder defender goalkeeper keeper winger captain squad "
    "fans supporters players side academy chairman owners".split()
)  # fmt: skip
_CLUB_AFTER = re.compile(r"^(?:['’]s?)?\s+(?:[a-z]+\s+)?(" + "|".join(sorted(CLUB_WORDS)) + r")\b")
_SCORE_AFTER = re.compile(r"^\s+\d{1,2}\s?[-–]\s?\d{1,2}\b")  # "Leeds 2-1 Carlisle"
_MATCH_BEFORE = re.compile(
    r"\b(?:beat|beats|defeated|thrashed|hammered|edged|drew\s+with|lost\s+to|lose\s+to|v|vs\.?|versus|"
    r"\d{1,2}\s?[-–]\s?\d{1,2}\s+(?:win|victory|defeat|loss|draw)\s+(?:over|against|to|with|at))\s+$"
)
_MATCH_AFTER = re.compile(r"^\s+(?:beat|beats|defeated|thrashed|hammered|edged|drew\s+with|lost\s+to|v|vs\.?|versus)\s")


@rule(Example(
    "Leeds beat Carlisle 2-1 and the Lyon squad flew home; Norway beat Sweden.",
    (("Carlisle", "LAW"), ("Lyon", "GPE"), ("Norway", "GPE"), ("Sweden", "GPE")),
    (("Leeds", "ORG"), ("Carlisle", "ORG"), ("Lyon", "ORG"), ("Norway", "GPE"), ("Sweden", "GPE")),
))  # fmt: skip
def clubs_named_after_cities(article: Article) -> list[Mention]:
    """A city's name that plays a match ("Leeds beat Carlisle 2-1") or has a manager, fans or a
    squad ("the Lyon squad") is its club, an ORG, tagged or not; countries keep their label
    (national sides are written about as the country)."""
    body = article.body
    found = [replace(m, label="ORG") if m.label != "ORG" and _plays(m.text, m.start, m.end, body) else m for m in article.mentions]
    for match in _CITY_IN_MATCH.finditer(body):
        start, end = match.span(1)
        if _plays(match.group(1), start, end, body) and not any(m.start < end and start < m.end for m in found):
            found.append(Mention(start, end, match.group(1), "ORG"))
    return found


_CITY_IN_MATCH = re.compile(r"\b([A-Z][a-z]+(?:\s[A-Z][a-z]+)?)(?=\s+(?:beat|beats|defeated|thrashed|hammered|edged|drew\s+with|lost\s+to)\s)")


def _plays(name: str, start: int, end: int, body: str) -> bool:
    """Whether a city's name at body[start:end] stands for its club."""
    if not is_known_place(name) or is_country(name):
        return False
    before, after = body[max(0, start - 40) : start], body[end : end + 40]
    return bool(_CLUB_AFTER.match(after) or _SCORE_AFTER.match(after) or _MATCH_BEFORE.search(before) or _MATCH_AFTER.match(after))


# A dateline: the place in capitals that starts a story ("OSLO, March 3 (Reuters) -", "NEW YORK --").
_DATELINE = re.compile(r"([A-Z][A-Z.'’-]+(?:\s[A-Z][A-Z.'’-]+){0,3})(?=\s*(?:,|\(|—|–|--?\s))")


@rule(Example(
    "OSLO, March 3 (Reuters) - Norway's parliament met. HEAVY RAIN FLOODS BERGEN.",
    (("OSLO", "ORG"), ("Norway", "GPE")),
    (("OSLO", "GPE"), ("Norway", "GPE"), ("BERGEN", "GPE")),
), needs_sentences=True)  # fmt: skip
def capitalised_places(article: Article) -> list[Mention]:
    """A place written in capitals at the start of a story ("OSLO, March 3 -") or in a line of
    capitals (a headline) is a GPE, tagged or not; its canonical name is the place's own
    ("Oslo")."""
    body, found = article.body, list(article.mentions)
    places: list[tuple[int, int]] = []
    for start, end in article.ranges:
        if (match := _DATELINE.match(body, start, end)) and is_known_place(match.group(1).title()):
            places.append((match.start(1), match.end(1)))
        line = body[start:end]
        if line.isupper():
            for word in re.finditer(r"[A-Z][A-Z'’-]+(?:\s[A-Z][A-Z'’-]+)?", line):
                if is_known_place(word.group(0).title()) or (" " in word.group(0) and is_known_place(word.group(0).split()[-1].title())):
                    text = word.group(0) if is_known_place(word.group(0).title()) else word.group(0).split()[-1]
                    at = start + word.start() + word.group(0).rindex(text)
                    places.append((at, at + len(text)))
    for at, stop in places:
        overlapping = [m for m in found if m.start < stop and at < m.end]
        if not overlapping:
            found.append(Mention(at, stop, body[at:stop], "GPE"))
        elif len(overlapping) == 1 and (overlapping[0].start, overlapping[0].end) == (at, stop):
            found[found.index(overlapping[0])] = replace(overlapping[0], label="GPE")
    return found
