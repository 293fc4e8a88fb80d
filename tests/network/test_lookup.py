from __future__ import annotations

import pytest

from corridor.errors import InputError, PlaceNotFoundError
from corridor.network.default import load_default
from corridor.network.lookup import find_place, normalize_name, search_places
from corridor.network.model import Network


@pytest.fixture(scope="module")
def net() -> Network:
    return load_default()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("KZ_AKTAU", "KZ_AKTAU"),
        ("kz_aktau", "KZ_AKTAU"),
        ("Aktau", "KZ_AKTAU"),
        ("AQTAU", "KZ_AKTAU"),
        ("Актау", "KZ_AKTAU"),
        ("Türkmenbaşy", "TM_TURKMENBASHI"),
        ("turkmenbasy", "TM_TURKMENBASHI"),
        ("Ашхабад", "TM_ASHGABAT"),
        ("bandar-e anzali", "IR_ANZALI"),
        ("Bandar e Anzali", "IR_ANZALI"),
        ("Enzeli", "IR_ANZALI"),
        ("Shahid Rajaei", "IR_SHAHID_RAJAEE"),
        ("Nhava Sheva", "IN_JNPT"),
        ("Ak-Yayla", "TM_AKYAYLA"),
        ("Alat", "AZ_ALAT_PORT"),
        ("Olot", "UZ_ALAT"),
        ("Khorgos", "KZ_ALTYNKOL"),
    ],
)
def test_find_place(net: Network, query: str, expected: str) -> None:
    assert find_place(net, query) == expected


def test_typo_suggests_close_match(net: Network) -> None:
    with pytest.raises(PlaceNotFoundError) as err:
        find_place(net, "Almati")
    assert err.value.suggestions[0] == ("Almaty", "KZ_ALMATY")
    assert str(err.value) == "unknown place 'Almati': did you mean 'Almaty' (KZ_ALMATY)?"


def test_ambiguous_name_lists_candidates(net: Network) -> None:
    with pytest.raises(PlaceNotFoundError) as err:
        find_place(net, "Astara")
    assert {pid for _, pid in err.value.suggestions} == {"AZ_ASTARA", "IR_ASTARA"}


def test_nonsense_has_no_suggestions(net: Network) -> None:
    with pytest.raises(PlaceNotFoundError) as err:
        find_place(net, "qqqqxxxzzz")
    assert err.value.suggestions == ()


def test_every_id_and_unique_name_round_trips(net: Network) -> None:
    keys = net.places["name"].map(normalize_name)
    for pid, name, key in zip(net.places["place_id"], net.places["name"], keys, strict=True):
        assert find_place(net, pid.lower()) == pid
        if (keys == key).sum() == 1:
            assert find_place(net, str(name).upper()) == pid


def test_search_places_by_country_codes(net: Network) -> None:
    a2 = search_places(net, country="KZ", kind="port")
    a3 = search_places(net, country="KAZ", kind="port")
    assert list(a2["place_id"]) == list(a3["place_id"]) == ["KZ_AKTAU_PORT", "KZ_KURYK"]
    assert set(search_places(net, country="IR")["country"]) == {"IRN"}


def test_search_places_rejects_unknown_values(net: Network) -> None:
    with pytest.raises(InputError, match="country 'XX'"):
        search_places(net, country="XX")
    with pytest.raises(InputError, match="allowed: city"):
        search_places(net, kind="harbour")


def test_keys_are_built_once_per_network_and_die_with_it() -> None:
    import gc

    from corridor.network import lookup
    from corridor.testing import border_network

    net = border_network()
    first = lookup._keys(net)
    assert lookup._keys(net) is first  # the second look-up reuses the keys
    assert find_place(net, "alpha") == "A"
    # an edited network is a new network with keys of its own
    places = net.places
    places.loc[places["place_id"] == "A", "name"] = "Aleph"
    edited = Network(places, net.links, parameters=dict(net.parameters))
    assert find_place(edited, "Aleph") == "A"
    with pytest.raises(PlaceNotFoundError):
        find_place(edited, "Alpha")
    assert find_place(net, "Alpha") == "A"  # the original is unchanged
    before = len(lookup._CACHE)
    del net, edited, first
    gc.collect()
    assert len(lookup._CACHE) <= before - 2


def test_an_exact_id_comes_before_a_normalised_one() -> None:
    import pandas as pd

    from corridor.testing import border_network

    base = border_network()
    places = base.places
    extra = places.iloc[[0]].assign(place_id="a", name="Lower a")
    net = Network(pd.concat([places, extra], ignore_index=True), base.links)
    assert find_place(net, "a") == "a"
    assert find_place(net, "A") == "A"
