"""Convert a data file between YAML and a workbook, both ways, refusing to write over a file unasked.

    export data/topic.yaml --to xlsx     -> data/topic.xlsx (beside its input, same name)
    export data/topic.xlsx --to yaml     -> data/topic.yaml

The data file must load first (every error listed, nothing written): a conversion is lossless
only for values that are what the model expects.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..checking.findings import load_file
from ..datafiles import WORKBOOK_SUFFIX, is_workbook
from ..errors import DataError, InvalidInput
from ..loading import reference_problems
from ..locations import profile_paths
from ..models import Dataset
from ..output import write_atomic
from ..topics import load_scheme, scheme_path
from ..validation import field_name
from .writing import workbook_bytes
from .yamltext import yaml_text

__all__ = ["FORMATS", "convert", "starter_bytes", "starter_workbook", "target_of"]

FORMATS = {"xlsx": WORKBOOK_SUFFIX, "yaml": ".yaml"}
"""`--to` values and the suffix each writes."""


def target_of(source: Path, to: str, given: Path | None) -> Path:
    """Return where a conversion writes: `given`, else beside `source` with the new suffix."""
    return given if given is not None else source.with_suffix(FORMATS[to])


def convert(source: Path, target: Path, to: str, template_dirs: Sequence[Path], *, force: bool = False, shown: str = "") -> None:
    """Write the data file `source` as `to` at `target`; raise DataError (or InvalidInput listing every error)
    when it does not load or `target` exists and `force` is not given. Nothing is written then."""
    shown = shown or str(source)
    _check_target(source, target, force)
    value = _loaded(source, template_dirs, shown)
    if to == "xlsx":
        data = starter_bytes(value, template_dirs)
    else:
        data = yaml_text(value, f"Exported from {source.name}: a briefs data file (the workbook's header comments are "
                                "the field descriptions of `schema --kind data`).").encode("utf-8")
    write_atomic(target, data)


def starter_bytes(value: dict[str, Any], template_dirs: Sequence[Path]) -> bytes:
    """Return `value` as workbook bytes, its drop-down lists holding the scheme's topics and the audience ids."""
    scheme = load_scheme(scheme_path(template_dirs))
    audiences = sorted({path.stem for path in profile_paths(template_dirs)})
    return workbook_bytes(value, list(scheme.topics), audiences)


def starter_workbook(value: dict[str, Any], target: Path, template_dirs: Sequence[Path]) -> None:
    """Write a new workbook at `target`, never over an existing file."""
    _check_target(None, target, force=False)
    write_atomic(target, starter_bytes(value, template_dirs))


def _check_target(source: Path | None, target: Path, force: bool) -> None:
    if source is not None and target.resolve() == source.resolve():
        raise DataError(f"{target}: the output would replace its input; name another file with -o")
    if target.exists() and not force:
        raise DataError(f"{target} already exists: nothing written; give --force to replace it, or -o to write elsewhere")
    twin = target.with_suffix(".yaml" if is_workbook(target) else WORKBOOK_SUFFIX)
    if target.parent.name == "data" and twin.exists() and (source is None or twin.resolve() != source.resolve()):
        raise DataError(f"{twin} exists: {target.name} would hold the same topic's data twice in {target.parent}; nothing written")


def _loaded(source: Path, template_dirs: Sequence[Path], shown: str) -> dict[str, Any]:
    """Return the data file's plain values; raise when it has any error (the model's, a cell's, a reference)."""
    item = load_file(source, Dataset, "data file")
    errors = [finding.text() for finding in item.findings if finding.severity == "error"]
    if item.doc is not None and not errors:
        scheme = load_scheme(scheme_path(template_dirs))
        for problem in reference_problems(item.doc.value, scheme):
            where = item.doc.line_of(problem.path)
            errors.append(f"{shown}:{where}: error: {field_name(problem.path)}: {problem.message}")
    if errors:
        raise InvalidInput(errors, f"export: {len(errors)} error{'s' if len(errors) > 1 else ''} in {shown}: nothing written")
    assert item.doc is not None
    return dict(item.doc.value)
