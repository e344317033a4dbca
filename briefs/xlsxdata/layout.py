"""How a data file lies in a workbook: one sheet per kind, one row per item, a header of field names.

The columns are read off the models, so a field added to a model is a column at once:

    Settings      two columns, `field` and `value`: id, title, as_of, language, ... one per row;
                  a summary or bottom line per audience is a row `summary.investor`
                  (`summary` alone, or `summary.default`, is every audience's text)
    Topics        id, label, broader, description
    Sources, Facts, Takeaways, FAQs, Figures, Acknowledged   the models' fields, in their order
    Points        figure, label, value: one row per bar of a figure, in the order drawn

A nested field is a column per part (`quantity.value`, `deadline.within`); a list of ids is one cell
separated by `;` (`supply; markets`); a fact's phrasing for one audience is a column
`audiences.investor`. The hidden sheet `Lists` holds the choices of the validation lists.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel

from ..models import Acknowledgement, Dataset, Fact, Faq, Figure, Source, Takeaway, Topic

__all__ = ["LISTS", "POINTS", "SETTINGS", "SHEETS", "TOPICS", "Column", "Kind", "Sheet", "settings_fields", "sheet_named"]

Kind = Literal["text", "list", "int", "number", "date", "bool"]
SEPARATOR = ";"
"""Between the ids of a list in one cell."""


@dataclass(frozen=True)
class Column:
    """One column of a sheet: its header, how its cells read, and the choices a validation list offers."""

    name: str
    """The header: a field name, or `part.field` for a nested one (`deadline.within`)."""
    kind: Kind
    help: str
    """The header's comment: the field's description."""
    choices: tuple[str, ...] = ()
    """The values a fixed field takes (status, grade), offered as a list."""

    @property
    def parts(self) -> tuple[str, ...]:
        return tuple(self.name.split("."))


@dataclass(frozen=True)
class Sheet:
    """One sheet of items: its name, the data file's key it holds, and its columns."""

    name: str
    key: str
    columns: tuple[Column, ...]
    per_audience: str | None = None
    """The field whose texts per audience are columns `field.AUDIENCE` (facts' `audiences`)."""


def _bare(annotation: Any) -> tuple[Any, bool]:
    """Return the annotation without Annotated and Optional, and whether None was allowed."""
    optional = False
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
            optional = optional or len(args) < len(typing.get_args(annotation))
            annotation = args[0]
        else:
            return annotation, optional


def _kind(annotation: Any) -> tuple[Kind, tuple[str, ...]]:
    bare, _ = _bare(annotation)
    origin = typing.get_origin(bare)
    if origin is tuple:
        return "list", ()
    if origin is Literal:
        return "text", tuple(str(arg) for arg in typing.get_args(bare))
    kinds: dict[Any, Kind] = {bool: "bool", int: "int", float: "number", dt.date: "date"}
    return kinds.get(bare, "text"), ()


def _columns(model: type[BaseModel], prefix: str = "", skip: tuple[str, ...] = ()) -> tuple[Column, ...]:
    """Return a model's columns in field order, a nested model's fields as `field.part`."""
    columns: list[Column] = []
    for name, field in model.model_fields.items():
        bare, _ = _bare(field.annotation)
        if name in skip or field.exclude:  # a value the program fills in (a source's CSL record), never typed
            continue
        if isinstance(bare, type) and issubclass(bare, BaseModel):
            columns += _columns(bare, f"{prefix}{name}.")
        else:
            kind, choices = _kind(field.annotation)
            columns.append(Column(prefix + name, kind, field.description or "", choices))
    return tuple(columns)


_ID = Column("id", "text", "The topic's id, as facts, FAQs and figures name it in `topics`.")
TOPICS = Sheet("Topics", "topics", (_ID, *_columns(Topic)))
POINTS = Sheet("Points", "points", (
    Column("figure", "text", "The id of the figure (sheet Figures) this bar belongs to."),
    Column("label", "text", "The bar's label, e.g. a country (at most 200 characters)."),
    Column("value", "number", "The bar's value, without thousands separators."),
))
SHEETS: tuple[Sheet, ...] = (
    TOPICS,
    Sheet("Sources", "sources", _columns(Source)),
    Sheet("Facts", "facts", _columns(Fact, skip=("audiences",)), per_audience="audiences"),
    Sheet("Takeaways", "takeaways", _columns(Takeaway)),
    Sheet("FAQs", "faqs", _columns(Faq)),
    Sheet("Figures", "figures", _columns(Figure, skip=("data",))),
    POINTS,
    Sheet("Acknowledged", "acknowledged", _columns(Acknowledgement)),
)
"""The sheets of items, in the order a workbook has them (after Settings)."""
SETTINGS = "Settings"
LISTS = "Lists"
"""The hidden sheet of validation choices; read by no one."""
OPENINGS = ("summary", "bottom_line")
"""Settings that may have a text per audience (`summary.investor`)."""


def settings_fields() -> dict[str, Column]:
    """Return the data file's top-level fields that are one value (a Settings row each), by name, in model order."""
    listed = {sheet.key for sheet in SHEETS}
    return {name: Column(name, _kind(field.annotation)[0], field.description or "", _kind(field.annotation)[1])
            for name, field in Dataset.model_fields.items() if name not in listed}


def sheet_named(name: str) -> Sheet | None:
    """Return the sheet of items called `name`, or None."""
    return next((sheet for sheet in SHEETS if sheet.name == name), None)
