"""Article metadata with provenance: which source gave the title, the authors and the date.

Sources, best first: `json-ld` (schema.org Article objects), `meta` (<meta> tags, <title>,
<link rel=canonical>), `html_byline` (author markup in the page), `body_byline` (a bold
names-only line at the top of the body), `url` (a date in the path), `text_header` /
`text_pattern` (header lines and bylines of text scrapes).

Titles lose the site's name glued to them ("Budget passes | The Example Times"); authors are
people, and a byline that names none (the site itself, a news agency, a desk) is kept whole, as
a credit, only when no source names a person; times keep their zone, abbreviations included.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urljoin, urlsplit

from dateutil import parser as date_parser
from lxml.html import HtmlElement

from newskit.normalise import normalise_text

# schema.org's Article and every type below it (https://schema.org/Article, "More specific
# Types", recursively), compared case-insensitively.
ARTICLE_TYPES = frozenset(
    name.lower()
    for name in (
        "Article", "AdvertiserContentArticle", "NewsArticle", "AnalysisNewsArticle", "AskPublicNewsArticle",
        "BackgroundNewsArticle", "OpinionNewsArticle", "ReportageNewsArticle", "ReviewNewsArticle", "Report",
        "SatiricalArticle", "ScholarlyArticle", "MedicalScholarlyArticle", "SocialMediaPosting", "BlogPosting",
        "LiveBlogPosting", "DiscussionForumPosting", "TechArticle", "APIReference",
    )
)  # fmt: skip
# Page objects that carry an article's date or author when no Article object does (Yoast graphs).
PAGE_TYPES = frozenset({"webpage", "itempage"})

# Time-zone abbreviations written after a time, as UTC offsets in hours. Where one abbreviation
# names several zones, the entry is the one English-language news means most often (CST: US
# Central, not China; IST: India, not Ireland or Israel; AST: Atlantic, not Arabia).
TIME_ZONE_ABBREVIATIONS: dict[str, float] = {
    "UTC": 0, "GMT": 0, "UT": 0, "Z": 0, "WET": 0, "WEST": 1, "BST": 1, "CET": 1, "CEST": 2,
    "MEZ": 1, "MESZ": 2, "EET": 2, "EEST": 3, "MSK": 3, "TRT": 3, "SAST": 2, "WAT": 1, "CAT": 2,
    "EAT": 3, "GST": 4, "PKT": 5, "IST": 5.5, "NPT": 5.75, "ICT": 7, "WIB": 7, "SGT": 8, "HKT": 8,
    "PHT": 8, "AWST": 8, "JST": 9, "KST": 9, "ACST": 9.5, "ACDT": 10.5, "AEST": 10, "AEDT": 11,
    "NZST": 12, "NZDT": 13, "AST": -4, "ADT": -3, "NST": -3.5, "NDT": -2.5, "EST": -5, "EDT": -4,
    "CST": -6, "CDT": -5, "MST": -7, "MDT": -6, "PST": -8, "PDT": -7, "AKST": -9, "AKDT": -8,
    "HST": -10, "BRT": -3, "ART": -3,
}  # fmt: skip
_TZINFOS = {name: int(hours * 3600) for name, hours in TIME_ZONE_ABBREVIATIONS.items()}

# News agencies and wire services: a byline of one credits no person.
NEWS_AGENCIES = (
    "AFP", "AP", "Associated Press", "Reuters", "Thomson Reuters", "dpa", "ANSA", "EFE", "Europa Press",
    "Bloomberg", "Bloomberg News", "PA", "PA Media", "PA Wire", "Press Association", "Xinhua", "Kyodo",
    "Yonhap", "TASS", "RIA Novosti", "APA", "SDA", "Keystone-SDA", "Belga", "ANP", "NTB", "TT", "Ritzau",
    "STT", "AAP", "Canadian Press", "CP", "UPI", "IANS", "PTI", "ANI", "Anadolu", "Anadolu Agency",
    "Agence France-Presse", "Agence France Presse", "EPA", "Sapa", "KNA", "Agencies", "Wires",
)  # fmt: skip
# Words of a byline that names a team rather than a person ("Guardian staff", "Metro desk").
CREDIT_WORDS = frozenset(
    "staff desk team newsroom editors editorial wire wires agencies agency reporters correspondents "
    "redaktion redacción redaccion rédaction redazione redactie redaksjon redaktionen".split()
)
# Byline prefixes: English, German, Spanish/Portuguese, French, Italian, Dutch, Danish/Norwegian, Swedish.
BYLINE_PREFIXES = ("by", "von", "por", "par", "di", "door", "af", "av", "de", "mit", "texto", "text")
# "and" in those languages, between two authors.
_AND_WORDS = ("and", "und", "y", "e", "et", "en", "og", "och")
NAME_PARTICLES = frozenset(
    "de da di del della dos das du la le van von der den ten ter al el bin ibn st".split()
)  # fmt: skip

_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?:/|$|[^\d])")
_JOB_TITLE = re.compile(
    r"(?:^|\s)(?:(?:senior|chief|staff|political|deputy|associate|contributing|managing|executive|special|"
    r"national|foreign|business|sports?|science|health|tech(?:nology)?|investigative|white house|"
    r"digital|news|breaking news|assistant|legal|economics|education|culture|travel)\s+)*"
    r"(?:reporter|correspondent|editor|writer|journalist|columnist|contributor|producer|analyst|critic|"
    r"photographer|intern|staff|anchor|host)s?\b.*$",
    re.IGNORECASE,
)
_AUTHOR_NOISE = re.compile(
    r"(?:e-?mail (?:the )?author|follow (?:on|me on|@)\S*(?: \w+)?|view (?:all )?(?:posts|articles|author)|"
    r"more (?:from|by) (?:this )?(?:author)?|updated\b.*|published\b.*|\S+@\S+|https?://\S+|@\w+)",
    re.IGNORECASE,
)
_BRACKETED = re.compile(r"\s*[(\[][^()\[\]]{0,40}[)\]]")  # "(ML)", "[@mlind]", "(dpa)"
_PREFIX = re.compile(
    r"^(?:(?:written|reported|posted|ein (?:kommentar|bericht|interview)|eine (?:analyse|reportage))\s+)?"
    rf"(?:{'|'.join(BYLINE_PREFIXES)})\s*[:\-]?\s+(?=\S)",
    re.IGNORECASE,
)
# single-letter "and" words only in lower case: "Mara E. Lind" is one person
_AUTHOR_SPLIT = re.compile(
    rf"\s*(?:;|\||,|/|&|\b(?i:{'|'.join(w for w in _AND_WORDS if len(w) > 1)})\b|\b(?:{'|'.join(w for w in _AND_WORDS if len(w) == 1)})\b)\s*"
)
_FAMILY_FIRST = re.compile(r"^([^\s,]+(?:\s[^\s,]+)?),\s*([^\s,]+(?:\s[^\s,]+){0,2})$")  # "Lindqvist, Mara K."
_INITIAL = re.compile(r"^[A-ZÀ-Þ]\.?$")
_NAME_WORD = re.compile(r"^[A-ZÀ-Þ][\w'’.-]*$")
# a text scrape's byline line: only prefixes that no sentence starts with ("De Bruyne scored")
_TEXT_BYLINE = re.compile(r"^(?:by|von|por|par|door|av|af)\s+(.{3,120})$", re.IGNORECASE)
_TEXT_DATELINE = re.compile(r"^(?:published|posted|updated|last updated|date)\s*:?\s+(.{6,60})$", re.IGNORECASE)
# Between a title and the site's name: "Budget passes | The Example Times", "... - Example Wire".
_TITLE_SEPARATOR = re.compile(r"\s+[|•·*~»›–—-]\s+|\s+::\s+")
_LEADING_SITE = re.compile(r"^(.{2,40}?)(?::\s+|\s+[|•·*~»›–—-]\s+)")
_DOMAIN_SUFFIX = re.compile(r"\.(?:com|co|org|net|news|info|online|tv|[a-z]{2})(?:\.[a-z]{2})?$")


@dataclass
class Metadata:
    title: str | None = None
    title_source: str | None = None
    authors: list[str] = field(default_factory=list)
    authors_source: str | None = None
    published_at: datetime | None = None
    published_at_source: str | None = None
    site_name: str | None = None
    canonical_url: str | None = None
    description: str | None = None
    language: str | None = None
    # every headline the page gives (og:title, JSON-LD, twitter:title, <title>, its first <h1>): a
    # body heading equal to one is the headline, not article text
    headlines: list[str] = field(default_factory=list)


def parse_datetime(value: str | None) -> datetime | None:
    """An ISO or free-form date/time as an aware datetime: offsets and zone abbreviations
    ("15:47 CEST") are kept, naive values are taken as UTC."""
    if not value or not isinstance(value, str):
        return None
    try:
        parsed = date_parser.parse(value.strip(), tzinfos=_TZINFOS)
    except (ValueError, OverflowError, TypeError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def unescape(text: str) -> str:
    """HTML entities decoded, twice-escaped ones ("&amp;#8217;") included, and normalised."""
    for _ in range(3):
        decoded = html.unescape(text)
        if decoded == text:
            break
        text = decoded
    return normalise_text(text)


# ---------------------------------------------------------------- authors


def fold_name(text: str) -> str:
    """Case, accents, punctuation, spaces and a leading "the" folded: "The Lesotho-Times" -> "lesothotimes"."""
    text = unicodedata.normalize("NFKD", text).casefold()
    text = re.sub(r"^the\s+", "", "".join(c for c in text if not unicodedata.combining(c)).strip())
    return re.sub(r"[\W_]+", "", text)


_AGENCIES = frozenset(fold_name(a) for a in NEWS_AGENCIES)


def site_names(*names: str | None, url: str | None = None) -> tuple[str, ...]:
    """The names a site goes by: the given ones (og:site_name, the publisher) and its domain's
    name ("www.example-times.co.uk" -> "example-times")."""
    found = [n for n in names if n and n.strip()]
    host = (urlsplit(url).hostname or "") if url else ""
    if host:
        found.append(_DOMAIN_SUFFIX.sub("", host.removeprefix("www.")))
    return tuple(dict.fromkeys(found))


def _same_site(text: str, sites: Iterable[str]) -> bool:
    """Whether `text` is one of the site's names ("Globalnews.ca" for "Global News")."""
    folded = fold_name(_DOMAIN_SUFFIX.sub("", text.strip().lower()))
    if len(folded) < 2:
        return False
    for site in sites:
        other = fold_name(_DOMAIN_SUFFIX.sub("", site.strip().lower()))
        if folded == other or (min(len(folded), len(other)) >= 5 and (folded in other or other in folded)):
            return True
    return False


def credit_kind(name: str, sites: Iterable[str] = ()) -> str | None:
    """'site' for the site itself or its account ("Example News", "Example D"), 'credit' for a
    news agency or a desk ("AP", "Guardian staff", "Redaktion"), None for a person."""
    sites = tuple(sites)
    words = name.split()
    if _same_site(name, sites):
        return "site"
    if fold_name(name) in _AGENCIES or any(w.lower().strip(".,") in CREDIT_WORDS for w in words):
        return "credit"
    site_words = {fold_name(w) for s in sites for w in s.split()}
    named = [fold_name(w) for w in words if not _INITIAL.match(w)]
    if named and all(w in site_words for w in named):
        return "site"
    return "credit" if named and all(w in site_words or w in _AGENCIES for w in named) else None


def _strip_prefix(text: str) -> str:
    """'By Mara Lind' -> 'Mara Lind'; a particle that may start a surname ("De Bruyne", "Di Maria")
    is a prefix only before two or more words that do not start with another particle."""
    match = _PREFIX.match(text)
    if match is None:
        return text
    rest = text[match.end() :]
    word = text[: match.end()].split()[0].lower()
    if word in NAME_PARTICLES:
        words = rest.split()
        if len(words) < 2 or words[0].lower() in NAME_PARTICLES:
            return text
    return rest


def _trim(text: str) -> str:
    """Separators and a final stop off the ends, but not the stop of an initial ("Mara K.")."""
    text = text.strip(" -–—:,;|")
    while text.endswith(".") and not re.search(r"(?:^|\s)[A-ZÀ-Þ]\.$", text):
        text = text[:-1].rstrip(" -–—:,;|")
    return text


def _name(part: str) -> tuple[str, str] | None:
    """(name, the part as written) of one byline part, or None when it is no name at all."""
    written = _strip_prefix(_trim(part))
    name = _trim(_JOB_TITLE.sub("", written))
    if not name:
        return None  # a job title alone: "Senior Political Correspondent"
    words = name.split()
    if not 1 <= len(words) <= 6 or not any(c.isalpha() for c in name):
        return None
    if not all(w[:1].isupper() or not w[:1].isalpha() or w.lower().split("-")[0] in NAME_PARTICLES for w in words):
        return None  # names are capitalised: "Jane Doe is a", "danger ahead"
    return name, written


@dataclass(frozen=True)
class Byline:
    names: list[str]  # people, with the agencies and desks credited beside them
    credit: str | None = None  # the first byline that names no person, as written


def read_byline(values: Iterable[str], sites: Iterable[str] = (), one_name_each: bool = False) -> Byline:
    """The people (and agencies or desks beside them, never the site itself) named in byline
    strings. `one_name_each`: every value names one person, written "Family, Given" where it
    has a comma (dc.creator, citation_author)."""
    sites = tuple(sites)
    named: list[tuple[str, str | None]] = []  # (name, credit kind)
    credit: str | None = None
    for value in values:
        if not isinstance(value, str):
            continue
        text = _BRACKETED.sub("", _AUTHOR_NOISE.sub(" ", unescape(value)))
        text = _strip_prefix(_trim(" ".join(text.split())))
        if not text:
            continue
        family_first = _FAMILY_FIRST.match(text)
        if family_first and (one_name_each or _family_first(family_first[1], family_first[2], sites)):
            parts = [f"{family_first[2]} {family_first[1]}"]
        elif one_name_each:
            parts = [text]
        else:
            parts = _AUTHOR_SPLIT.split(text)
        found = [n for n in (_name(p) for p in parts if p) if n is not None]
        kinds = [(name, credit_kind(written, sites) or credit_kind(name, sites)) for name, written in found]
        named.extend((written if kind else name, kind) for (name, written), (_, kind) in zip(found, kinds))
        if found and credit is None and all(kind for _, kind in kinds):
            credit = text
    if not any(kind is None for _, kind in named):
        return Byline([], credit)
    names: list[str] = []
    for name, kind in named:
        if kind != "site" and name.casefold() not in {n.casefold() for n in names}:
            names.append(name)
    return Byline(names)


def _family_first(family: str, given: str, sites: tuple[str, ...]) -> bool:
    """'Lindqvist, Mara' (one name written surname first), not 'Mara Lind, Reuters' or two people."""
    if " " in family or credit_kind(given, sites) or _JOB_TITLE.search(" " + given):
        return False
    return all(_NAME_WORD.match(w) or _INITIAL.match(w) for w in [family, *given.split()])


def clean_authors(raw: str | list[str] | None, sites: Iterable[str] = ()) -> list[str]:
    """Person names from a byline: prefixes, job titles, e-mail/follow noise and bracketed
    initials or handles removed, one name per item; a byline naming no person gives its credit."""
    if not raw:
        return []
    byline = read_byline(raw if isinstance(raw, list) else [raw], sites)
    return byline.names or ([byline.credit] if byline.credit else [])


def names_only_line(text: str) -> list[str] | None:
    """The names of a line that is only a byline without "By": "Mara Lind/Tom Berg", "MARA LIND"."""
    text = _strip_prefix(" ".join(text.split()))
    if not 2 <= len(text.split()) <= 16 or any(c.isdigit() for c in text):
        return None
    parts = [p for p in _AUTHOR_SPLIT.split(text) if p]
    if not 1 <= len(parts) <= 4:
        return None
    for part in parts:
        words = part.split()
        if not 2 <= len(words) <= 4 or not all(_NAME_WORD.match(w) or w.lower() in NAME_PARTICLES for w in words):
            return None
        if any(fold_name(w) in _TITLE_CASE_WORDS for w in words):
            return None
    return parts


# Title-case words of headings, never of names ("What We Know", "Key Points").
_TITLE_CASE_WORDS = frozenset(
    "the a an of in on at to for and or with from by what why how who when where we you our your "
    "is are was be this that key points latest news update updates live read more watch".split()
)


def choose_authors(sources: Iterable[tuple[str, Byline]]) -> tuple[list[str], str | None]:
    """The people of the first source that names any, else the first credit."""
    credit: tuple[list[str], str | None] = ([], None)
    for source, byline in sources:
        if byline.names:
            return byline.names, source
        if byline.credit and credit[1] is None:
            credit = ([byline.credit], source)
    return credit


# ---------------------------------------------------------------- titles


def strip_site_name(title: str, sites: Iterable[str], others: Iterable[str] = ()) -> str:
    """The title without the site's name glued before or after it ("Budget passes | The Example
    Times", "Example News: Budget passes", "Budget passes * Example * by Mara Lind"), or without
    what follows another of the page's titles ("Budget passes - Politics | Example")."""
    sites = tuple(sites)
    cuts = list(_TITLE_SEPARATOR.finditer(title))
    for k in range(len(cuts) - 1, max(len(cuts) - 4, -1), -1):
        after = title[cuts[k].end() : cuts[k + 1].start()] if k + 1 < len(cuts) else title[cuts[k].end() :]
        if _same_site(after, sites) and cuts[k].start() > 0:
            title = title[: cuts[k].start()]
            break
    leading = _LEADING_SITE.match(title)
    if leading and _same_site(leading[1], sites) and len(title) > leading.end():
        title = title[leading.end() :]
    for other in others:
        if len(other.split()) >= 3 and len(other) < len(title) and title.startswith(other):
            if _TITLE_SEPARATOR.match(title, len(other)):
                return other
    return title.strip()


@dataclass(frozen=True)
class TitleAffixes:
    prefixes: tuple[str, ...] = ()
    suffixes: tuple[str, ...] = ()


def site_title_affixes(titles: Iterable[str | None], min_titles: int = 3, min_share: float = 0.5) -> TitleAffixes:
    """What the titles of one site's pages repeat before or after a separator ("… - Panorama -
    Example.at"): seen in at least `min_titles` distinct titles and `min_share` of them."""
    distinct = {t for t in titles if t}
    prefixes: Counter[str] = Counter()
    suffixes: Counter[str] = Counter()
    for title in distinct:
        for cut in _TITLE_SEPARATOR.finditer(title):
            prefixes[title[: cut.end()]] += 1
            suffixes[title[cut.start() :]] += 1
        if (leading := _LEADING_SITE.match(title)) is not None:
            prefixes[title[: leading.end()]] += 1
    need = max(min_titles, min_share * len(distinct))

    def repeated(counts: Counter[str]) -> tuple[str, ...]:
        return tuple(sorted((a for a, n in counts.items() if n >= need), key=len, reverse=True))

    return TitleAffixes(repeated(prefixes), repeated(suffixes))


def strip_title_affixes(title: str | None, affixes: TitleAffixes) -> str | None:
    """The title without the longest repeated prefix and suffix of its site (never all of it)."""
    if not title:
        return title
    for suffix in affixes.suffixes:
        if title.endswith(suffix) and len(title) > len(suffix):
            title = title[: -len(suffix)]
            break
    for prefix in affixes.prefixes:
        if title.startswith(prefix) and len(title) > len(prefix):
            title = title[len(prefix) :]
            break
    return title.strip()


# ---------------------------------------------------------------- page metadata


def language_code(value: str | None) -> str | None:
    """"en-US", "en_GB", "EN" -> "en"."""
    if not value:
        return None
    code = re.split(r"[-_]", value.strip())[0].lower()
    return code if re.fullmatch(r"[a-z]{2,3}", code) else None


def url_date(url: str | None) -> datetime | None:
    match = _URL_DATE.search(urlsplit(url).path) if url else None
    if not match:
        return None
    try:
        return datetime(int(match[1]), int(match[2]), int(match[3]), tzinfo=timezone.utc)
    except ValueError:
        return None


def _json_ld_objects(tree: HtmlElement) -> Iterator[dict[str, Any]]:
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text or "", strict=False)
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                yield item
                if "@graph" in item:
                    stack.extend(item["@graph"] if isinstance(item["@graph"], list) else [item["@graph"]])


def _types(obj: dict[str, Any]) -> set[str]:
    value = obj.get("@type", [])
    return {t.lower() for t in (value if isinstance(value, list) else [value]) if isinstance(t, str)}


def _article_object(objects: list[dict[str, Any]]) -> dict[str, Any]:
    """The page's Article object (any schema.org Article type) with a headline or a date, else such
    a WebPage object, else {}."""
    has_content = [o for o in objects if o.get("headline") or o.get("datePublished")]
    return next((o for o in has_content if _types(o) & ARTICLE_TYPES), None) or next(
        (o for o in has_content if _types(o) & PAGE_TYPES), {}
    )


def _ld_names(value: Any, index: dict[str, dict[str, Any]], depth: int = 0) -> list[str]:
    """Names in a JSON-LD value: strings, `name`, `givenName` + `familyName`, `@id` references."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [n for v in value for n in _ld_names(v, index, depth)]
    if not isinstance(value, dict) or depth > 3:
        return []
    if "name" not in value and isinstance(value.get("@id"), str) and value["@id"] in index:
        value = index[value["@id"]]
    if value.get("name"):
        return _ld_names(value["name"], index, depth + 1)
    parts = [value.get(k) for k in ("givenName", "additionalName", "familyName")]
    joined = " ".join(p for p in parts if isinstance(p, str) and p.strip())
    return [joined] if joined else []


def _ld_text(value: Any) -> str | None:
    return unescape(value) if isinstance(value, str) and value.strip() else None


def _meta_values(tree: HtmlElement) -> dict[str, list[str]]:
    """Every <meta> value by lower-case key (property, name or itemprop), in page order."""
    tags: dict[str, list[str]] = {}
    for meta in tree.iter("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        content = (meta.get("content") or "").strip()
        if key and content:
            tags.setdefault(key, []).append(content)
    return tags


def _first(tags: dict[str, list[str]], *keys: str) -> str | None:
    return next((tags[k][0] for k in keys if tags.get(k)), None)


def _absolute_url(href: str | None, page_url: str | None) -> str | None:
    """A canonical link as an absolute http(s) URL: a relative one (`/news/x`) is joined with the
    page URL, and dropped when the page has none (a path alone names no article)."""
    if not href or not href.strip():
        return None
    try:
        joined = urljoin(page_url or "", href.strip())
        parts = urlsplit(joined)
        return joined if parts.scheme in ("http", "https") and parts.hostname else None
    except ValueError:  # an unparseable host such as http://[::1
        return None


_AUTHOR_META = ("author", "article:author", "parsely-author", "sailthru.author", "byl", "dc.creator.name")
_ONE_NAME_EACH_META = ("citation_author", "dc.creator", "dcterms.creator")


def html_metadata(tree: HtmlElement, url: str | None = None, body_byline: list[str] | None = None) -> Metadata:
    """Metadata of an HTML page, each of title/authors/published_at with the source that gave it.
    `body_byline`: the names of a byline line at the top of the body, the last source of authors."""
    out = Metadata()
    objects = list(_json_ld_objects(tree))
    index = {o["@id"]: o for o in objects if isinstance(o.get("@id"), str) and len(o) > 1}
    article = _article_object(objects)
    publisher = article.get("publisher") if isinstance(article.get("publisher"), dict) else {}
    tags = _meta_values(tree)
    publisher_names = _ld_names(publisher, index) + [n for o in objects if "website" in _types(o) for n in _ld_names(o.get("name"), index)]
    out.site_name = _first(tags, "og:site_name", "application-name") or next(iter(publisher_names), None)
    sites = site_names(out.site_name, *publisher_names, url=url)

    candidates = _title_candidates(tree, tags, article)
    h1 = tree.find(".//h1")
    out.headlines = [t for t, _ in candidates if t] + ([unescape(h1.text_content())] if h1 is not None and h1.text_content().strip() else [])
    out.title, out.title_source = _title(candidates, out.headlines, sites)

    meta_authors = [a for k in _AUTHOR_META for a in tags.get(k, []) if "://" not in a]
    one_each = [a for k in _ONE_NAME_EACH_META for a in tags.get(k, []) if "://" not in a]
    bylines = tree.xpath('//*[@rel="author" or @itemprop="author" or contains(@class, "byline__name") or contains(@class, "author-name")]')
    out.authors, out.authors_source = choose_authors([
        ("json-ld", read_byline(_ld_names(article.get("author") or article.get("creator"), index), sites)),
        ("meta", read_byline(one_each, sites, one_name_each=True)),
        ("meta", read_byline(meta_authors, sites)),
        ("html_byline", read_byline([" ".join(b.text_content().split()) for b in bylines[:4]], sites)),
        ("body_byline", Byline(body_byline or [])),
    ])  # fmt: skip

    if published := parse_datetime(article.get("datePublished") or article.get("dateCreated")):
        out.published_at, out.published_at_source = published, "json-ld"
    elif published := parse_datetime(_first(tags, "article:published_time", "og:published_time", "datepublished", "pubdate", "publishdate", "publish-date", "date", "dc.date", "dc.date.issued", "dcterms.created", "sailthru.date", "parsely-pub-date")):
        out.published_at, out.published_at_source = published, "meta"
    elif published := parse_datetime(next(iter(tree.xpath('//time[@itemprop="datePublished"]/@datetime | //time[@pubdate]/@datetime')), None)):
        out.published_at, out.published_at_source = published, "meta"
    elif published := url_date(url):
        out.published_at, out.published_at_source = published, "url"

    canonical = tree.xpath('//link[@rel="canonical"]/@href')
    out.canonical_url = _absolute_url(canonical[0] if canonical else None, url) or _absolute_url(_first(tags, "og:url"), url) or url
    description = _first(tags, "description", "og:description", "twitter:description") or _ld_text(article.get("description"))
    out.description = unescape(description) if description else None
    out.language = language_code(tree.get("lang") or _first(tags, "content-language", "og:locale", "language") or (
        article.get("inLanguage") if isinstance(article.get("inLanguage"), str) else None
    ))
    return out


def _title_candidates(tree: HtmlElement, tags: dict[str, list[str]], article: dict[str, Any]) -> list[tuple[str | None, str]]:
    return [
        (_ld_text(_first(tags, "og:title")), "meta"),
        (_ld_text(article.get("headline")), "json-ld"),
        (_ld_text(_first(tags, "twitter:title")), "meta"),
        (_ld_text(" ".join((tree.findtext(".//title") or "").split())), "meta"),
    ]


def _title(candidates: list[tuple[str | None, str]], headlines: list[str], sites: tuple[str, ...]) -> tuple[str | None, str | None]:
    """The headline, best source first: og:title (what the publisher wrote for the page's card),
    the JSON-LD headline (often its SEO variant, cut to 110 characters), twitter:title, <title>;
    each without the site's name, and none that is only the site's name."""
    for text, source in candidates:
        if not text:
            continue
        title = strip_site_name(text, sites, headlines)
        if title and not _same_site(title, sites):
            return title, source
    return None, None


def text_metadata(paragraphs: list[str]) -> Metadata:
    """Byline and dateline patterns among the first paragraphs of a text scrape (source `text_pattern`)."""
    out = Metadata()
    for paragraph in paragraphs[:4]:
        if not out.authors and (match := _TEXT_BYLINE.match(paragraph)) and len(paragraph.split()) <= 14:
            if authors := clean_authors(match[1]):
                out.authors, out.authors_source = authors, "text_pattern"
        if not out.published_at and (match := _TEXT_DATELINE.match(paragraph)):
            if published := parse_datetime(match[1]):
                out.published_at, out.published_at_source = published, "text_pattern"
    return out
