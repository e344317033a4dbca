"""Read a data file of either kind, YAML or an Excel workbook, into the same plain values.

    read_data(Path("data/topic.yaml"))   # values, and the line of each
    read_data(Path("data/topic.xlsx"))   # values, and the cell of each (`Facts!C12`)

Everything after this (the model, reference checks, `check`) is the same for both.
"""

from __future__ import annotations

from pathlib import Path

from .errors import DataError
from .yamlsource import Located, YamlError, read_yaml

__all__ = ["DATA_SUFFIXES", "WORKBOOK_SUFFIX", "is_workbook", "read_data"]

WORKBOOK_SUFFIX = ".xlsx"
DATA_SUFFIXES = (".yaml", ".yml", WORKBOOK_SUFFIX)
"""The file names a data file may have."""


def is_workbook(path: Path) -> bool:
    """Whether `path` names a workbook (read by `xlsxdata`) rather than YAML."""
    return path.suffix.lower() == WORKBOOK_SUFFIX


def read_data(path: Path) -> Located:
    """Read one data file; raise YamlError (its `line` a line or a cell) for anything unreadable."""
    if not is_workbook(path):
        return read_yaml(path)
    from .xlsxdata.reading import read_workbook  # imports openpyxl: only for a workbook

    try:
        return read_workbook(path)
    except DataError as exc:
        raise YamlError(str(exc).removeprefix(f"{path}: ")) from None
