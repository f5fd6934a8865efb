"""The one natural order of unit and group names (partyorg.lib.text.natural_sort_key)."""

from partyorg.lib.text import natural_sort_key


def test_numbers_in_names_sort_as_numbers():
    names = ["Tổ dân phố 10", "Tổ dân phố 2", "Tổ dân phố 1", "Tổ dân phố 9B", "Tổ dân phố 9A", "Tổ dân phố 9"]
    assert sorted(names, key=natural_sort_key) == [
        "Tổ dân phố 1",
        "Tổ dân phố 2",
        "Tổ dân phố 9",
        "Tổ dân phố 9A",
        "Tổ dân phố 9B",
        "Tổ dân phố 10",
    ]


def test_words_sort_in_vietnamese_dictionary_order():
    names = ["Chi bộ Đông Sơn", "Chi bộ Dĩnh Kế", "Chi bộ Ấp Bắc", "Chi bộ An Dương", "chi bộ Bắc Giang"]
    assert sorted(names, key=natural_sort_key) == [
        "Chi bộ An Dương",
        "Chi bộ Ấp Bắc",
        "chi bộ Bắc Giang",
        "Chi bộ Dĩnh Kế",
        "Chi bộ Đông Sơn",
    ]


def test_blank_and_spacing_do_not_matter():
    assert natural_sort_key("  Khu  phố 3 ") == natural_sort_key("Khu phố 3")
    assert natural_sort_key(None) == natural_sort_key("")
