"""Places geocoded: each resolution path on invented sentences, and entity keys (the sample's
hand-annotated places, through the real pipeline: tests/test_sample.py)."""

from __future__ import annotations

from newskit.entities import Mention
from newskit.entity_keys import entity_key, mention_keys, name_key
from newskit.places import gazetteer, resolve_mentions_to_places, resolve_places, site_country


def places_of(body: str, *names: str, label: str = "GPE", domain: str | None = None):
    mentions, pos = [], 0
    for name in names:
        at = body.index(name, pos)
        mentions.append(Mention(at, at + len(name), name, label, name))
        pos = at + len(name)
    return {p.mention if p.feature is None else (p.mention, p.feature.country_code): p for p in resolve_places(mentions, body, domain)}


def resolved(places, name: str):
    return next((p.feature.name, p.feature.country_code, p.resolved_by) for p in places.values() if p.mention == name and p.feature and p.feature.country_code is not None) if any(p.mention == name and p.feature for p in places.values()) else None


def test_unique_names_countries_regions_cities_continents():
    places = places_of("Germany, Bavaria, Edinburgh and Europe.", "Germany", "Bavaria", "Edinburgh", "Europe")
    rows = {p.mention: p.row() for p in places.values()}
    assert rows["Germany"]["geonameid"] == 2921044 and rows["Germany"]["feature_class"] == "A"
    assert (rows["Bavaria"]["country_code"], rows["Bavaria"]["geonameid"], rows["Bavaria"]["entity_key"]) == ("DE", None, "iso:DE-BY")
    assert rows["Edinburgh"]["entity_key"] == "geo:2650225" and rows["Edinburgh"]["feature_class"] == "P"
    assert rows["Edinburgh"]["admin1_code"] == "SCT" and 55.9 < rows["Edinburgh"]["latitude"] < 56.0
    assert rows["Europe"]["feature_class"] == "L" and rows["Europe"]["country_code"] is None
    assert {r["resolved_by"] for r in rows.values()} == {"unique name"}


def test_ambiguous_town_by_a_region_named_right_after_it():
    places = places_of("Flooding in Perth, Scotland, and in Perth, Western Australia.", "Perth", "Scotland", "Perth", "Western Australia")
    by_key = {p.entity_key: p for p in places.values()}
    assert by_key["geo:2640358"].resolved_by == "region nearby" and by_key["geo:2640358"].feature.country_code == "GB"
    assert by_key["geo:2063523"].resolved_by == "region nearby" and by_key["geo:2063523"].feature.country_code == "AU"


def test_ambiguous_town_by_the_nearest_country_or_region_in_the_article():
    body = "Rain hit Scotland on Monday. In Perth the river rose. Later, far away, Australia had a heatwave."
    places = places_of(body, "Scotland", "Perth", "Australia")
    assert resolved(places, "Perth") == ("Perth", "GB", "region in context")
    places = places_of("The mayor of Boston met officials from Massachusetts.", "Boston", "Massachusetts")
    assert resolved(places, "Boston") == ("Boston", "US", "region in context")
    places = places_of("Talks in Cambridge ended. Britain and Canada signed.", "Cambridge", "Britain", "Canada")
    assert resolved(places, "Cambridge")[1:] in {("GB", "country in context"), ("CA", "country in context")}


def test_site_country_from_the_domain():
    assert site_country("news.example.co.uk") == "GB" and site_country("zeitung.de") == "DE"
    assert site_country("startup.io") is None and site_country("northwire.example") is None and site_country(None) is None
    places = places_of("A new bridge in Cambridge opened.", "Cambridge", domain="cambridge-news.co.uk")
    assert resolved(places, "Cambridge") == ("Cambridge", "GB", "site country")


def test_country_name_city_over_region_region_over_town_largest_population():
    assert resolved(places_of("Singapore grew.", "Singapore"), "Singapore") == ("Singapore", "SG", "country name")
    assert resolved(places_of("New York voted.", "New York"), "New York") == ("New York City", "US", "city over region")
    assert resolved(places_of("Oregon voted.", "Oregon"), "Oregon") == ("Oregon", "US", "region over town")
    assert resolved(places_of("Frankfurt traded.", "Frankfurt"), "Frankfurt") == ("Frankfurt am Main", "DE", "unique name")
    assert resolved(places_of("Trade in Birmingham grew.", "Birmingham"), "Birmingham") == ("Birmingham", "GB", "largest population")
    assert resolved(places_of("Exporters in the states of Washington and Idaho.", "Washington", "Idaho"), "Washington") == ("Washington", "US", "region named")


def test_too_ambiguous_or_unknown_names_stay_unresolved():
    places = places_of("Richmond and the Lenn Valley.", "Richmond", "Lenn Valley")
    for p in places.values():
        assert p.feature is None and p.resolved_by is None
        assert set(p.row()) >= {"geonameid", "latitude", "longitude", "country_code"}
        assert all(p.row()[c] is None for c in ("geonameid", "name", "latitude", "longitude", "population", "resolved_by"))
    assert {p.entity_key for p in places.values()} == {"GPE:richmond", "GPE:lenn valley"}


def test_entity_keys_are_stable_across_spellings_and_articles():
    assert name_key("Zoë  Müller") == name_key("zoe muller") == "zoe muller"
    assert entity_key("PERSON", "Mara Lindqvist") == "PERSON:mara lindqvist"
    feature = gazetteer().candidates("London")[0][1]
    assert entity_key("GPE", "London", feature) == f"geo:{feature.geonameid}"
    body = "Mara Lindqvist flew to Munich."
    mentions = [Mention(0, 14, "Mara Lindqvist", "PERSON", "Mara Lindqvist"), Mention(23, 29, "Munich", "GPE", "Munich")]
    assert mention_keys(mentions, resolve_mentions_to_places(mentions, body)) == ["PERSON:mara lindqvist", "geo:2867714"]




def test_a_list_of_places_is_no_qualifier_and_a_contradicting_qualifier_leaves_the_town_unresolved():
    places = places_of("Envoys from Ghana, Nigeria and Rwanda met.", "Ghana", "Nigeria", "Rwanda")
    assert {p.feature.country_code for p in places.values()} == {"GH", "NG", "RW"}
    # the only Palm Beach of 15,000 people or more is in Australia
    assert resolved(places_of("A house in Palm Beach, Florida, was sold.", "Palm Beach", "Florida"), "Palm Beach") is None


def test_a_small_foreign_namesake_and_a_country_named_anywhere_do_not_pick_small_towns():
    body = "He lived in the United States, in a house in Palm Beach in Florida."
    assert resolved(places_of(body, "United States", "Palm Beach", "Florida"), "Palm Beach") is None
    body = "The United States envoy flew to Vienna for talks."
    assert resolved(places_of(body, "United States", "Vienna"), "Vienna")[:2] == ("Vienna", "AT")


def test_other_names_of_big_cities_only_where_no_town_has_the_name():
    assert resolved(places_of("Talks in Islamabad.", "Islamabad"), "Islamabad")[:2] == ("Islamabad", "PK")
    assert resolved(places_of("Taiwan and China.", "Taiwan", "China"), "Taiwan") == ("Taiwan", "TW", "unique name")


def test_a_small_town_unique_in_the_gazetteer_needs_its_country_in_the_article_or_the_site():
    # Millbrook, Alabama (15,000 people) is the only Millbrook of the data; many smaller ones are not in it
    assert resolved(places_of("The bridge at Millbrook reopened.", "Millbrook"), "Millbrook") is None
    assert resolved(places_of("The bridge at Millbrook in Alabama reopened.", "Millbrook", "Alabama"), "Millbrook")[:2] == ("Millbrook", "US")
    assert resolved(places_of("The bridge at Millbrook reopened.", "Millbrook", domain="millbrook-news.us"), "Millbrook")[:2] == ("Millbrook", "US")
    assert resolved(places_of("Dresden hosted the race.", "Dresden"), "Dresden") == ("Dresden", "DE", "unique name")  # 560,000 people
