"""The name lists the entity stage checks labels against come from the installed packages."""

from __future__ import annotations

from newskit.gazetteer import given_names, is_given_name, is_known_place, known_places


def test_known_places_are_countries_states_and_big_cities():
    for place in ("France", "Texas", "Europe", "Rotterdam", "United States", "Cornwall", "Queensland"):
        assert is_known_place(place), place
    for not_a_place in ("Saltmere", "Trump", "Google", "brisbane"):
        assert not is_known_place(not_a_place), not_a_place
    assert 5_000 < len(known_places()) < 50_000


def test_given_names_of_many_languages_but_not_places_or_particles():
    for name in ("Sarah", "Benoît", "Yusuf", "Wilhelmina", "Karel"):
        assert is_given_name(name), name
    for word in ("Paris", "Georgia", "North", "Le", "De", "May", "Media", "sarah"):
        assert not is_given_name(word), word
    assert len(given_names()) > 10_000


def test_a_lone_word_needs_a_given_name_of_several_locales():
    assert is_given_name("Odile", min_locales=2)
    for brand_or_calendar in ("Ford", "Sky", "August", "Sunday"):
        assert not is_given_name(brand_or_calendar, min_locales=2), brand_or_calendar
    assert is_given_name("Ford")  # before a surname one locale is enough
