"""Units and currencies as data: every spelling news writes after (or glued to) a number, and the
name stored in `figures.unit`.

A newcomer adds a unit by adding a row: `MEASURES` for quantities, `DURATIONS` for time,
`CURRENCY_NAMES` / `CURRENCY_PREFIXES` for money. Multi-word spellings ("kilometres an hour",
"square miles", "metric tons") are matched token by token, longest first.
"""

from __future__ import annotations

import re
from functools import lru_cache

# ---------------------------------------------------------------- quantities
# stored name -> spellings (singular, plural, abbreviations); the stored names are the contract of
# `figures.unit` (docs/nlp.md), so existing names never change.
MEASURES: dict[str, tuple[str, ...]] = {
    "metre": ("metre", "metres", "meter", "meters"),
    "km": ("km", "kms", "kilometre", "kilometres", "kilometer", "kilometers"),
    "cm": ("cm", "centimetre", "centimetres", "centimeter", "centimeters"),
    "mm": ("mm", "millimetre", "millimetres", "millimeter", "millimeters"),
    "decimetre": ("dm", "decimetre", "decimetres", "decimeter", "decimeters"),
    "mile": ("mile", "miles", "mi"),
    "foot": ("foot", "feet", "ft"),
    "inch": ("inch", "inches", "in."),
    "yard": ("yard", "yards", "yd", "yds"),
    "nautical_mile": ("nautical mile", "nautical miles", "nmi"),
    "metre2": ("square metre", "square metres", "square meter", "square meters", "sq m", "m2", "m²", "sqm"),
    "km2": ("square kilometre", "square kilometres", "square kilometer", "square kilometers", "square km", "sq km", "km2", "km²"),
    "mile2": ("square mile", "square miles", "sq mi", "sq miles", "mi2", "mi²"),
    "foot2": ("square foot", "square feet", "sq ft", "ft2", "ft²"),
    "acre": ("acre", "acres"),
    "hectare": ("hectare", "hectares", "ha"),
    "metre3": ("cubic metre", "cubic metres", "cubic meter", "cubic meters", "m3", "m³"),
    "ft3": ("cubic foot", "cubic feet", "cu ft", "ft3", "ft³"),
    "litre": ("litre", "litres", "liter", "liters", "l"),
    "millilitre": ("ml", "millilitre", "millilitres", "milliliter", "milliliters"),
    "gallon": ("gallon", "gallons", "gal"),
    "barrel": ("barrel", "barrels", "bbl"),
    "kg": ("kg", "kgs", "kilogram", "kilograms", "kilogramme", "kilogrammes", "kilo", "kilos"),
    "gram": ("gram", "grams", "gramme", "grammes", "g"),
    "milligram": ("mg", "milligram", "milligrams", "milligramme", "milligrammes"),
    "microgram": ("µg", "μg", "mcg", "microgram", "micrograms", "microgramme", "microgrammes"),
    "tonne": ("tonne", "tonnes", "metric ton", "metric tons", "metric tonne", "metric tonnes"),
    "ton": ("ton", "tons", "short ton", "short tons"),
    "lb": ("lb", "lbs", "pound", "pounds"),  # "pound" is money unless the words around say weight
    "ounce": ("ounce", "ounces", "oz"),
    "stone": ("stone",),
    "mph": ("mph", "miles an hour", "miles per hour", "mile an hour", "mile per hour"),
    "km_h": ("km/h", "kph", "kmh", "km/hr", "kilometres an hour", "kilometres per hour", "kilometers an hour",
             "kilometers per hour", "km an hour", "km per hour"),
    "metre_s": ("m/s", "metres per second", "meters per second", "metres a second", "meters a second"),
    "knot": ("knot", "knots"),
    "kW": ("kw", "kilowatt", "kilowatts"),
    "MW": ("mw", "megawatt", "megawatts"),
    "GW": ("gw", "gigawatt", "gigawatts"),
    "kWh": ("kwh", "kilowatt-hour", "kilowatt-hours", "kilowatt hour", "kilowatt hours"),
    "MWh": ("mwh", "megawatt-hour", "megawatt-hours", "megawatt hour", "megawatt hours"),
    "GWh": ("gwh", "gigawatt-hour", "gigawatt-hours", "gigawatt hour", "gigawatt hours"),
    "TWh": ("twh", "terawatt-hour", "terawatt-hours", "terawatt hour", "terawatt hours"),
    "degree_c": ("degree celsius", "degrees celsius", "deg celsius", "degree centigrade", "degrees centigrade",
                 "°c", "ºc", "celsius", "centigrade"),
    "degree_f": ("degree fahrenheit", "degrees fahrenheit", "deg fahrenheit", "degrees farenheit", "degree farenheit",
                 "°f", "ºf", "fahrenheit", "farenheit"),
    "degree": ("degree", "degrees", "deg", "°"),
}  # fmt: skip
# Spellings that are also everyday words or scales: a unit only glued to digits ("5l", "20g")
# or in a multi-word spelling, never alone after a space ("5 l", "in 3 g").
GLUED_ONLY = frozenset({"l", "g", "in.", "ha", "mi", "gal", "kw", "mw", "gw", "°"})

# ---------------------------------------------------------------- time
DURATIONS: dict[str, tuple[str, ...]] = {
    "second": ("second", "seconds", "sec", "secs"),
    "minute": ("minute", "minutes", "min", "mins"),
    "hour": ("hour", "hours", "hr", "hrs", "h"),
    "day": ("day", "days"),
    "week": ("week", "weeks"),
    "fortnight": ("fortnight", "fortnights"),
    "month": ("month", "months"),
    "year": ("year", "years", "yr", "yrs"),
    "decade": ("decade", "decades"),
    "century": ("century", "centuries"),
}  # fmt: skip
# Stored as a multiple of another unit: "a decade" is 10 years, "a fortnight" 14 days.
UNIT_MULTIPLES = {"decade": ("year", 10.0), "century": ("year", 100.0), "fortnight": ("day", 14.0)}
# Seconds per unit, to add the parts of "two hours and 40 minutes" or "a year and six months".
# Within days and within months exact; between the two, the calendar convention of 30 days a
# month and 365 days a year.
DAY_SECONDS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400, "week": 604800}
MONTH_MONTHS = {"month": 1, "year": 12}


def duration_ratio(part: str, whole: str) -> float:
    """How many `whole` units one `part` unit is ("minute", "hour" -> 1/60; "day", "month" -> 1/30)."""
    if part in DAY_SECONDS and whole in DAY_SECONDS:
        return DAY_SECONDS[part] / DAY_SECONDS[whole]
    if part in MONTH_MONTHS and whole in MONTH_MONTHS:
        return MONTH_MONTHS[part] / MONTH_MONTHS[whole]
    days = {"month": 30, "year": 365}
    if part in DAY_SECONDS:
        return DAY_SECONDS[part] / 86400 / days[whole]
    return days[part] * 86400 / DAY_SECONDS[whole]


# ---------------------------------------------------------------- money
# Currency names with the words that pick the currency ("Indian rupees", "Hong Kong dollars"):
# (words before the currency word, currency word) -> ISO 4217 code; () is the bare word's default.
CURRENCY_NAMES: dict[str, dict[tuple[str, ...], str]] = {
    "dollar": {(): "USD", ("us",): "USD", ("u.s.",): "USD", ("american",): "USD", ("australian",): "AUD",
               ("canadian",): "CAD", ("new", "zealand"): "NZD", ("zealand",): "NZD", ("hong", "kong"): "HKD",
               ("singapore",): "SGD", ("singaporean",): "SGD", ("taiwan",): "TWD", ("taiwanese",): "TWD",
               ("new", "taiwan"): "TWD", ("jamaican",): "JMD", ("namibian",): "NAD", ("namibia",): "NAD",
               ("fiji",): "FJD", ("fijian",): "FJD", ("liberian",): "LRD", ("brunei",): "BND",
               ("bahamian",): "BSD", ("barbados",): "BBD", ("belize",): "BZD", ("guyana",): "GYD",
               ("trinidad", "and", "tobago"): "TTD", ("east", "caribbean"): "XCD", ("zimbabwean",): "ZWL"},
    "rupee": {(): "INR", ("indian",): "INR", ("pakistani",): "PKR", ("pakistan",): "PKR", ("sri", "lankan"): "LKR",
              ("sri", "lanka"): "LKR", ("nepalese",): "NPR", ("nepali",): "NPR", ("mauritian",): "MUR",
              ("seychelles",): "SCR"},
    "franc": {(): "CHF", ("swiss",): "CHF", ("french",): "FRF", ("belgian",): "BEF", ("cfa",): "XOF",
              ("congolese",): "CDF", ("rwandan",): "RWF", ("rwanda",): "RWF", ("burundian",): "BIF",
              ("guinean",): "GNF", ("djibouti",): "DJF"},
    "pound": {(): "GBP", ("british",): "GBP", ("uk",): "GBP", ("egyptian",): "EGP", ("lebanese",): "LBP",
              ("sudanese",): "SDG", ("south", "sudanese"): "SSP", ("syrian",): "SYP"},
    "peso": {(): "MXN", ("mexican",): "MXN", ("argentine",): "ARS", ("argentinian",): "ARS", ("chilean",): "CLP",
             ("colombian",): "COP", ("philippine",): "PHP", ("cuban",): "CUP", ("uruguayan",): "UYU",
             ("dominican",): "DOP"},
    "krona": {(): "SEK", ("swedish",): "SEK", ("icelandic",): "ISK", ("iceland",): "ISK"},
    "krone": {(): "DKK", ("danish",): "DKK", ("norwegian",): "NOK"},
    "dinar": {("kuwaiti",): "KWD", ("iraqi",): "IQD", ("jordanian",): "JOD", ("bahraini",): "BHD",
              ("libyan",): "LYD", ("tunisian",): "TND", ("algerian",): "DZD", ("serbian",): "RSD"},
    "riyal": {(): "SAR", ("saudi",): "SAR", ("qatari",): "QAR"},
    "rial": {("iranian",): "IRR", ("omani",): "OMR", ("yemeni",): "YER"},
    "shilling": {("kenyan",): "KES", ("ugandan",): "UGX", ("tanzanian",): "TZS", ("somali",): "SOS",
                 ("austrian",): "ATS"},
    "dirham": {(): "AED", ("uae",): "AED", ("emirati",): "AED", ("moroccan",): "MAD"},
    "kwacha": {("zambian",): "ZMW", ("malawian",): "MWK"},
    "lira": {(): "TRY", ("turkish",): "TRY", ("italian",): "ITL"},
    "won": {(): "KRW", ("south", "korean"): "KRW", ("korean",): "KRW", ("north", "korean"): "KPW"},
    "real": {("brazilian",): "BRL"},
    "euro": {(): "EUR"}, "yen": {(): "JPY"}, "yuan": {(): "CNY"}, "renminbi": {(): "CNY"},
    "ruble": {(): "RUB"}, "rouble": {(): "RUB"}, "hryvnia": {(): "UAH"}, "zloty": {(): "PLN"},
    "forint": {(): "HUF"}, "koruna": {(): "CZK"}, "leu": {(): "RON"}, "lev": {(): "BGN"}, "lari": {(): "GEL"},
    "tenge": {(): "KZT"}, "baht": {(): "THB"}, "ringgit": {(): "MYR"}, "rupiah": {(): "IDR"}, "dong": {(): "VND"},
    "taka": {(): "BDT"}, "naira": {(): "NGN"}, "cedi": {(): "GHS"}, "rand": {(): "ZAR"}, "shekel": {(): "ILS"},
    "sheqel": {(): "ILS"}, "birr": {(): "ETB"}, "kyat": {(): "MMK"}, "afghani": {(): "AFN"}, "pula": {(): "BWP"},
    "loti": {(): "LSL"}, "maloti": {(): "LSL"}, "lilangeni": {(): "SZL"}, "colon": {(): "CRC"}, "colón": {(): "CRC"},
    "quetzal": {(): "GTQ"}, "sol": {("peruvian",): "PEN"}, "bolivar": {(): "VES"}, "bitcoin": {(): "BTC"},
    # currencies the euro replaced, still written about
    "peseta": {(): "ESP"}, "guilder": {(): "NLG", ("dutch",): "NLG"}, "markka": {(): "FIM"},
    "deutschmark": {(): "DEM"}, "mark": {("german",): "DEM", ("deutsche",): "DEM"}, "drachma": {(): "GRD"},
    "escudo": {("portuguese",): "PTE"}, "punt": {("irish",): "IEP"},
}  # fmt: skip
# Currency words that are also everyday words: money only with their nationality ("Brazilian
# real", "German marks"), never alone ("8500 marks" may be a score).
WORD_LIKE_CURRENCIES = frozenset({"mark", "real", "sol"})
# Plurals that do not add -s.
CURRENCY_PLURALS = {
    "kronor": "krona", "kronur": "krona", "kroner": "krone", "reais": "real", "lire": "lira", "lei": "leu",
    "leva": "lev", "korun": "koruna", "zlotys": "zloty", "zlotych": "zloty", "pence": "penny", "pennies": "penny",
    "sheqalim": "sheqel", "shekalim": "shekel", "maloti": "maloti", "euro": "euro",
}  # fmt: skip
# Written before the number, glued or not: "HK$4.2 billion", "€95m", "R 4bn".
CURRENCY_PREFIXES = {
    "$": "USD", "us$": "USD", "u.s.$": "USD", "a$": "AUD", "au$": "AUD", "c$": "CAD", "ca$": "CAD",
    "nz$": "NZD", "hk$": "HKD", "s$": "SGD", "r$": "BRL", "nt$": "TWD", "mx$": "MXN", "j$": "JMD",
    "£": "GBP", "€": "EUR", "¥": "JPY", "₹": "INR", "₽": "RUB", "₩": "KRW", "₺": "TRY", "₪": "ILS",
    "₦": "NGN", "₱": "PHP", "₫": "VND", "₴": "UAH", "₡": "CRC", "฿": "THB", "₿": "BTC", "rs": "INR", "rs.": "INR",
}  # fmt: skip
# Letters before a spaced "$" that make it another dollar ("hk $ 10 billion" in tokenised text);
# not "a" or "s" ("a $5 bill").
SPACED_DOLLAR_PREFIXES = {"us": "USD", "c": "CAD", "hk": "HKD", "nz": "NZD", "au": "AUD", "nt": "TWD"}
# Subunits: (currency when none is named, value in the main unit).
SUBUNITS = {"cent": ("USD", 0.01), "cents": ("USD", 0.01), "penny": ("GBP", 0.01), "pence": ("GBP", 0.01),
            "p": ("GBP", 0.01), "pennies": ("GBP", 0.01)}  # fmt: skip
# ISO codes that are English words in capitals ("ALL", "TOP") are codes only beside a number and
# in mixed-case text; these few are codes in lower case too ("half a million usd").
LOWER_CASE_CODES = frozenset("usd eur gbp jpy cny chf aud nzd hkd sgd inr sek nok dkk zar rub brl mxn krw".split())
_WORD_CODES = frozenset("ALL TOP CUP SOS PEN MOP BOB WST STN SLE".split())
# "30 MUSD", "120 MEUR": a scale letter glued before a code, as financial reports write it.
SCALED_CODE = re.compile(r"^([KMB]|MN|BN|MLN|T)([A-Z]{3})$")
SCALED_CODE_FACTORS = {"K": 1e3, "M": 1e6, "MN": 1e6, "MLN": 1e6, "B": 1e9, "BN": 1e9, "T": 1e12}


@lru_cache(maxsize=1)
def iso_codes() -> frozenset[str]:
    """ISO 4217 codes (pycountry) of real currencies, plus bitcoin's BTC."""
    import pycountry

    codes = {c.alpha_3 for c in pycountry.currencies if not c.alpha_3.startswith("X")}
    return frozenset(codes | {"BTC", "XOF", "XAF", "XCD"})


def currency_word(word: str) -> str | None:
    """The singular currency word of a spelling ("kronor" -> "krona", "dollars" -> "dollar")."""
    lower = word.lower()
    if lower in CURRENCY_NAMES:
        return lower
    if lower in CURRENCY_PLURALS:
        return CURRENCY_PLURALS[lower]
    if lower.endswith("s") and lower[:-1] in CURRENCY_NAMES:
        return lower[:-1]
    return None


def code_for(word: str, before: tuple[str, ...]) -> tuple[str | None, int]:
    """(ISO code, how many of the words `before` it took) of a currency word: the longest
    nationality that names the currency ("south korean" won), else the word's default."""
    names = CURRENCY_NAMES[word]
    for n in (3, 2, 1):
        key = tuple(w.lower() for w in before[-n:]) if len(before) >= n else None
        if key in names:
            return names[key], n
    return names.get(()), 0


def is_code(text: str) -> bool:
    """A currency code written beside a number ("USD", "usd")."""
    if text.isupper():
        return text in iso_codes() and text not in _WORD_CODES
    return text in LOWER_CASE_CODES


@lru_cache(maxsize=1)
def unit_spellings() -> dict[tuple[str, ...], tuple[str, str]]:
    """Lower-case spelling as words -> (stored unit name, kind), for measures and durations."""
    table: dict[tuple[str, ...], tuple[str, str]] = {}
    for kind, units in (("quantity", MEASURES), ("duration", DURATIONS)):
        for name, spellings in units.items():
            for spelling in spellings:
                table[tuple(spelling.lower().split())] = (name, kind)
    return table


MAX_SPELLING_WORDS = 4

# Two units of one measure written together ("5 feet 2 inches", "11 stone 4 pounds"): the
# smaller unit as a share of the larger, which the figure is stored in.
UNIT_PARTS = {
    ("foot", "inch"): 1 / 12, ("yard", "foot"): 1 / 3, ("mile", "yard"): 1 / 1760, ("lb", "ounce"): 1 / 16,
    ("stone", "lb"): 1 / 14, ("metre", "cm"): 0.01, ("km", "metre"): 0.001, ("kg", "gram"): 0.001,
}  # fmt: skip
