"""Where a run finds its data files and audience profiles.

    data files   --data FILE or FOLDER (repeatable); else ./data/ when the working directory has
                 that folder; else the built-in data. A data file ends in .yaml, .yml or .xlsx
                 (a workbook); a folder holding one topic twice (`a.yaml` and `a.xlsx`) is an error.
    profiles     `audiences/*.yaml` (or .yml) of each templates folder, then the built-in ones;
                 the first file of an id wins.

A path that does not exist, a folder with no data file, or a file of another kind is an error
saying where it looked: never a silent fall-back to other data.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from .datafiles import DATA_SUFFIXES
from .errors import BriefsError, DataError, all_of
from .pathguard import check_listed
from .resources import builtin_data_dir, builtin_templates_dir
from .suggest import did_you_mean
from .translations import is_translation

__all__ = ["DATA_SUFFIXES", "MISSING_SUMMARY", "PROFILE_SUFFIXES", "data_paths", "default_data_paths", "profile_paths"]

PROFILE_SUFFIXES = (".yaml", ".yml")
"""The file names profiles may have."""
_LOOKED_FOR = "looked for *.yaml, *.yml and *.xlsx"

MISSING_SUMMARY = "{count} inputs not found: nothing done; fix the paths above and run again"
"""The last line when several inputs a command names are missing (each has its own line above)."""


def data_paths(given: Sequence[Path], cwd: Path) -> list[Path]:
    """Return the data files of `--data` (files or folders), or the default ones; raise DataError when there are none."""
    if not given:
        return default_data_paths(cwd)
    found: list[Path] = []
    problems: list[BriefsError] = []
    for path in given:
        try:
            found += _given_files(path)
        except DataError as exc:
            problems.append(exc)
    if problems:
        raise all_of(problems, MISSING_SUMMARY)
    return _each_file_once(found)


def _given_files(path: Path) -> list[Path]:
    """Return the data files one --data names: the file, or the data files of the folder; raise DataError when none."""
    if path.is_dir():
        inside = _data_files(path)
        if not inside:
            raise DataError(f"{path}: no data file in this folder ({_LOOKED_FOR})")
        return inside
    if path.is_file():
        if path.suffix.lower() not in DATA_SUFFIXES:
            raise DataError(f"{path}: not a data file: data files are YAML (.yaml or .yml) or Excel workbooks (.xlsx)")
        return [path]
    raise DataError(f"{path}: no such data file or folder (--data); {_suggest(path)}")


def _each_file_once(paths: list[Path]) -> list[Path]:
    """Return `paths` without a file named a second time, however it was spelled (`a.yaml`, `./a.yaml`, absolute)."""
    first: dict[Path, Path] = {}
    for path in paths:
        first.setdefault(path.resolve(), path)
    return list(first.values())


def default_data_paths(cwd: Path) -> list[Path]:
    """Return ./data/*.yaml, *.yml and *.xlsx when the working directory has a data folder, else the built-in data files."""
    folder = cwd / "data"
    if folder.is_dir():
        local = _data_files(folder)
        if not local:
            raise DataError(f"{folder}: no data file in this folder ({_LOOKED_FOR}): "
                            "start one with the `new` command, or name one with --data FILE")
        return local
    return _data_files(builtin_data_dir())


def profile_paths(template_dirs: Sequence[Path]) -> list[Path]:
    """Return every profile file, user folders first (the first file of an id wins)."""
    folders = [*template_dirs, builtin_templates_dir()]
    return [path for folder in folders for path in _files(folder / "audiences", PROFILE_SUFFIXES)]


def _files(folder: Path, suffixes: tuple[str, ...]) -> list[Path]:
    """Return the files of `folder` with one of `suffixes`, sorted, leaving out hidden ones, a spreadsheet's lock files
    (`~$a.xlsx`) and the translations beside a data file (`x.ja.yaml`); raise PathError for one whose name the file system
    gave as bytes that are not UTF-8."""
    return sorted(check_listed(p, folder) for p in folder.glob("*")
                  if p.suffix.lower() in suffixes and not p.name.startswith((".", "~$")) and p.is_file() and not is_translation(p))


def _data_files(folder: Path) -> list[Path]:
    """Return the data files of `folder`; raise DataError when two hold one topic (`a.yaml` and `a.xlsx`)."""
    found = _files(folder, DATA_SUFFIXES)
    by_stem: dict[str, list[Path]] = {}
    for path in found:
        by_stem.setdefault(path.stem.casefold(), []).append(path)
    twins = [paths for paths in by_stem.values() if len(paths) > 1]
    if twins:
        raise all_of([DataError(f"{paths[0]} and {', '.join(p.name for p in paths[1:])}: one topic's data twice in one folder; "
                                "keep one (`export` converts between them)") for paths in twins],
                     "{count} topics are in their folder twice: nothing done")
    return found


def _suggest(path: Path) -> str:
    """Say what is near a missing path: the data files of its folder, or that the folder is missing."""
    folder = path.parent
    name = "the working directory" if str(folder) == "." else str(folder)
    if not folder.is_dir():
        return f"the folder {name} does not exist either"
    near = _files(folder, DATA_SUFFIXES)
    if not near and (folder / "data").is_dir():
        near, name = _files(folder / "data", DATA_SUFFIXES), str(folder / "data")
    if not near:
        return f"{name} holds no .yaml, .yml or .xlsx file"
    return did_you_mean(path.name, [p.name for p in near]) or (
        f"data files in {name}: " + ", ".join(p.name for p in near[:6]) + (", ..." if len(near) > 6 else ""))
