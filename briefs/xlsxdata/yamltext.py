"""Write a data file's plain values as YAML text that reads back to the same values.

Lists of ids are written on one line (`topics: [supply, markets]`), long texts folded as an author
would write them; a value YAML would read as another type (`"no"`, `"2025"`, a date kept as text)
is quoted, so reading it back gives the same values.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

__all__ = ["yaml_text"]


class _Dumper(yaml.SafeDumper):
    """PyYAML's safe dumper with id lists on one line."""


def _list(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.Node:
    flow = all(isinstance(item, (str, int, float)) and len(str(item)) <= 40 for item in value)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    """Write a date unquoted (YAML would quote it as a text; the data file reads both alike)."""
    if _DATE.fullmatch(value):
        return dumper.represent_scalar("tag:yaml.org,2002:timestamp", value)
    return dumper.represent_str(value)


_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_Dumper.add_representer(list, _list)
_Dumper.add_representer(str, _text)


def yaml_text(value: dict[str, Any], heading: str = "") -> str:
    """Return `value` as YAML text, keys in their order, after `heading` as comment lines."""
    comment = "".join(f"# {line}\n".replace("# \n", "#\n") for line in heading.splitlines())
    body = yaml.dump(value, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=110, default_flow_style=False)
    return comment + body
