"""Small text tables for notebook output: equal-length columns printed side by side under their names.

Plain text rather than a DataFrame, so nbval compares every digit and no extra package is needed.
Used in notebooks/03_binary_cross_entropy_with_tensors.ipynb and notebooks/04_binary_cross_entropy_in_pytorch.ipynb.
"""
import torch

__all__ = ["print_columns"]


def _cell(value, spec):
    if isinstance(value, torch.Tensor):
        value = value.item()
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        value += 0.0  # turns −0.0 into 0.0: a sign on zero only distracts in a table
    return format(value, spec)


def print_columns(columns, formats=None, width=12, default_format=".4g"):
    """Print ``columns`` ({name: 1-D tensor or sequence}) as a right-aligned table, one row per position.

    ``formats`` maps a column name to a format spec (default ``default_format``); booleans print as True/False,
    inf and nan print as such, and −0.0 prints as 0.

    >>> print_columns({"z": torch.tensor([0.0, 20.0]), "σ(z) == 1": torch.tensor([False, True])}, width=10)
             z σ(z) == 1
             0     False
            20      True
    """
    formats = formats or {}
    lengths = {len(values) for values in columns.values()}
    if len(lengths) != 1:
        raise ValueError(f"every column needs the same number of entries; got lengths {sorted(lengths)}")
    names = list(columns)
    widths = [max(width, len(name) + 1) for name in names]
    print("".join(f"{name:>{w}}" for name, w in zip(names, widths)))
    for row in zip(*(columns[name] for name in names)):
        cells = (_cell(value, formats.get(name, default_format)) for name, value in zip(names, row))
        print("".join(f"{cell:>{w}}" for cell, w in zip(cells, widths)))
