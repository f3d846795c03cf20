"""Names: valid for ^[a-zA-Z0-9_-]+$, unique, and the same every time."""

import pytest

from dashboard.openapi.names import VALID_NAME, NameAllocator, valid_name


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Pet", "Pet"),
        ("pet-store_v2", "pet-store_v2"),
        ("Pet.Tag", "Pet_Tag"),
        ("get /pets/{petId}", "get_pets_petId"),
        ("  spaced  out  ", "spaced_out"),
        ("Café ☕", "Cafe"),
        ("$$$", "unnamed"),
        ("", "unnamed"),
    ],
)
def test_invalid_characters_become_underscores(raw, expected):
    assert valid_name(raw) == expected
    assert VALID_NAME.match(valid_name(raw))


def test_collisions_get_numbered_suffixes_in_order():
    names = NameAllocator()
    assert [names.allocate(raw) for raw in ("Pet.Tag", "Pet Tag", "Pet_Tag", "Pet_Tag_2")] == [
        "Pet_Tag",
        "Pet_Tag_2",
        "Pet_Tag_3",
        "Pet_Tag_2_2",
    ]


def test_collisions_ignore_case_so_names_stay_distinct_everywhere():
    names = NameAllocator()
    assert [names.allocate("Pet"), names.allocate("pet"), names.allocate("PET")] == [
        "Pet",
        "pet_2",
        "PET_3",
    ]


def test_the_same_input_gives_the_same_names():
    raws = ["a b", "a.b", "a_b", "c"]
    first, second = NameAllocator(), NameAllocator()
    assert [first.allocate(r) for r in raws] == [second.allocate(r) for r in raws]


def test_names_are_cut_to_200_characters_suffix_included():
    names = NameAllocator()
    long = "x" * 250

    first, second = names.allocate(long), names.allocate(long)

    assert (first, second) == ("x" * 200, "x" * 198 + "_2")
    assert valid_name("a" * 199 + ".b") == "a" * 199
