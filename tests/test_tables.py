"""helpers.tables.print_columns: aligned columns, per-column formats, booleans, inf/nan, and a clear error."""
import pytest
import torch

from helpers.tables import print_columns


def test_columns_are_right_aligned_under_their_names(capsys):
    print_columns({"z": torch.tensor([1.0, 100.0]), "loss": [0.5, float("inf")]}, width=8)
    assert capsys.readouterr().out.splitlines() == [
        "       z    loss",
        "       1     0.5",
        "     100     inf",
    ]


def test_formats_booleans_and_nan(capsys):
    print_columns({"p": torch.tensor([0.99999988, float("nan")]), "is one": torch.tensor([False, True])},
                  formats={"p": ".8f"}, width=12)
    lines = capsys.readouterr().out.splitlines()
    assert lines[1].split() == ["0.99999988", "False"]
    assert lines[2].split() == ["nan", "True"]


def test_negative_zero_prints_as_zero_and_integers_keep_integer_formats(capsys):
    print_columns({"seed": [420], "loss": torch.tensor([-0.0])}, formats={"seed": "d"}, width=6)
    assert capsys.readouterr().out.splitlines()[1] == "   420     0"


def test_long_names_widen_their_column(capsys):
    print_columns({"a rather long column name": [1]}, width=4)
    header, row = capsys.readouterr().out.splitlines()
    assert len(header) == len(row) == len("a rather long column name") + 1


def test_unequal_columns_are_refused():
    with pytest.raises(ValueError, match="same number of entries"):
        print_columns({"a": [1, 2], "b": [1]})
