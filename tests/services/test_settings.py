"""Settings use-cases as the settings screen sees them (views, and the counts that stop a
removal), without Textual."""

from __future__ import annotations

import pytest

from microcare_tui.domain.errors import ValidationFailed
from microcare_tui.services import providers as ps
from microcare_tui.services import settings as service
from microcare_tui.services.lookup import find_providers
from microcare_tui.store.db import Store


def test_programme_settings_as_typed(store: Store) -> None:
    service.save_settings(store, {"micro_rate_pence": "£16.00", "micro_threshold": "8"})
    shown = {s.key: s for s in service.programme_settings(store)}
    assert [s.key for s in shown.values()] == [k for k, _, _ in service.PROGRAMME_SETTINGS]
    assert shown["micro_rate_pence"].text == "£16.00"
    assert shown["micro_rate_pence"].kind == "money"
    assert shown["micro_threshold"].text == "8"
    assert shown["worker_name"].text == "Sam Tester"


def test_overview_lists_areas_and_services_in_words(store: Store) -> None:
    view = service.settings_overview(store)
    ashford = next(a for a in view.areas if a.name == "Ashford")
    assert "TN23" in ashford.districts.split()
    neighbours = set(ashford.neighbours.split(", "))
    assert neighbours <= {a.name for a in view.areas}  # names, not ids
    personal = next(s for s in view.services if s.label == "Personal care")
    assert personal.regulated == "regulated"
    home_help = next(s for s in view.services if s.label == "Home help")
    assert (home_help.regulated, "cleaning" in home_help.synonyms) == ("no", True)
    assert view.programme == service.programme_settings(store)


def test_form_values_for_an_area_and_a_service(store: Store) -> None:
    area = service.save_area(
        store, {"name": "Medway", "postcode_districts": "ME1 ME2", "neighbours": "Swale"}
    )
    values = service.area_form_values(store, area.id)
    assert (values.name, values.districts, values.neighbours) == ("Medway", "ME1 ME2", "Swale")
    st = service.save_service_type(store, {"label": "Dog walking", "synonyms": "dogs, walks"})
    form = service.service_form_values(store, st.id)
    assert (form.label, form.synonyms, form.regulated) == ("Dog walking", "dogs, walks", False)


def test_removal_is_refused_while_providers_use_it(store: Store) -> None:
    area = service.save_area(store, {"name": "Medway", "postcode_districts": "ME1"})
    st = service.save_service_type(store, {"label": "Dog walking"})
    first = ps.save_provider(store, {"name": "Medway Walkers", "postcode": "ME1 1AA",
                                     "services": [st.code]})  # fmt: skip
    ps.save_provider(store, {"name": "Medway Dogs", "postcode": "ME1 2AA", "services": [st.code]})
    with pytest.raises(ValidationFailed) as info:
        service.remove_area(store, area.id)
    assert info.value.errors["area"].startswith("2 provider(s) are based in Medway")
    with pytest.raises(ValidationFailed) as info:
        service.remove_service_type(store, st.id)
    assert info.value.errors["service"].startswith("2 provider(s) offer Dog walking")
    # A withdrawn provider no longer counts.
    ps.withdraw_provider(store, first.id)
    with pytest.raises(ValidationFailed) as info:
        service.remove_service_type(store, st.id)
    assert info.value.errors["service"].startswith("1 provider(s)")


# -- issue 7: a rename reaches the search index -------------------------------------------------
def _shopping(store: Store) -> str:
    return next(
        s.id for s in service.settings_overview(store).services if s.label.startswith("Shop")
    )


def _names(store: Store, text: str) -> list[str]:
    return [r.name for r in ps.provider_list_page(store, text).rows]


def test_renaming_a_service_reindexes_its_providers(store: Store) -> None:
    ps.save_provider(store, {"name": "Oak Tree Companions", "services": ["shopping"]})
    ps.save_provider(store, {"name": "Birch Home Help", "services": ["home_help"]})
    assert _names(store, "supermarket") == ["Oak Tree Companions"]
    service.save_service_type(
        store, {"label": "Errands", "synonyms": "errands, messages"}, _shopping(store)
    )
    assert _names(store, "messages") == ["Oak Tree Companions"]
    assert _names(store, "errands") == ["Oak Tree Companions"]
    assert _names(store, "shopping") == []
    assert _names(store, "supermarket") == []
    # The lookup reads the same index: the old word names nothing any more.
    assert [r.name for r in find_providers(store, "errands").rows] == ["Oak Tree Companions"]
    assert find_providers(store, "supermarket").rows == []


def test_renaming_an_area_reindexes_the_providers_based_in_or_serving_it(store: Store) -> None:
    areas = {a.name: a.id for a in service.settings_overview(store).areas}
    ps.save_provider(store, {"name": "Oak Tree Companions", "postcode": "ME10 1AA"})  # Swale
    ps.save_provider(store, {"name": "Birch Home Help", "postcode": "CT1 1AA",
                             "areas_served": [areas["Swale"]]})  # fmt: skip
    ps.save_provider(store, {"name": "Cedar Gardeners", "postcode": "CT1 2AA"})
    assert _names(store, "swale") == ["Birch Home Help", "Oak Tree Companions"]
    values = service.area_form_values(store, areas["Swale"])
    service.save_area(
        store,
        {"name": "Sittingbourne and Sheppey", "postcode_districts": values.districts,
         "neighbours": values.neighbours},
        areas["Swale"],
    )  # fmt: skip
    assert _names(store, "sheppey") == ["Birch Home Help", "Oak Tree Companions"]
    assert _names(store, "swale") == []


def test_removing_an_area_takes_its_words_out_of_the_index(store: Store) -> None:
    area = service.save_area(store, {"name": "Medway", "postcode_districts": "ME1"})
    ps.save_provider(store, {"name": "Birch Home Help", "postcode": "CT1 1AA",
                             "areas_served": [area.id]})  # fmt: skip
    assert _names(store, "medway") == ["Birch Home Help"]
    service.remove_area(store, area.id)
    assert _names(store, "medway") == []
