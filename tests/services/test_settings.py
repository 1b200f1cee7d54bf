"""Settings use-cases as the settings screen sees them (views, and the counts that stop a
removal), without Textual."""

from __future__ import annotations

import pytest

from microcare_tui.domain.errors import ValidationFailed
from microcare_tui.services import providers as ps
from microcare_tui.services import settings as service
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
