"""`briefs list`: the audiences, data files, templates and styles found, and where each comes from."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path

from ..config import REFERENCE_DECK_NAME, REFERENCE_NAME, THEME_NAME, Settings, builtin_style, reference_deck
from ..errors import BriefsError
from ..invocation import program
from ..loading import load_dataset, load_profile
from ..locations import data_paths, profile_paths
from ..resources import builtin_data_dir, builtin_templates_dir
from ..topics import SCHEME_NAME, Scheme, load_scheme, scheme_path
from .common import add_input_options, add_page_size_option, add_style_options, settings_from, shown

HELP = "list the audiences, data files, templates and styles found, and where each comes from"

_TEMPLATE_SUFFIXES = (".j2", ".jinja", ".html")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_input_options(parser)
    add_style_options(parser)
    add_page_size_option(parser, "as for generate: shows where the page size comes from")


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    folders = [*settings.template_dirs, builtin_templates_dir()]
    sections = (
        ("Audiences (first file of an id wins)", _audiences(folders)),
        ("Data files", _data_files(args.data, folders)),
        ("Templates and topic scheme (first file of a name wins; a shadowed built-in stays reachable as builtin/<name>)",
         _templates(folders)),
        ("Styles", _styles(settings)),
    )
    blocks = ["\n".join([f"{title}:", *_table(rows)]) for title, rows in sections]
    if settings.config:
        blocks.insert(0, f"Config file: {shown(settings.config)}")
    print("\n\n".join(blocks))
    return 0


def _where(path: Path, folders: list[Path]) -> str:
    """Say which kind of folder `path` is in: a user templates folder or the built-ins."""
    if path.is_relative_to(builtin_templates_dir()) or path.is_relative_to(builtin_data_dir()):
        return "built-in"
    folder = next((f for f in folders if path.is_relative_to(f)), path.parent)
    return f"user folder {shown(folder)}"


def _audiences(folders: list[Path]) -> Iterator[tuple[str, ...]]:
    first: dict[str, Path] = {}
    for path in profile_paths(folders[:-1]):
        if path.stem in first:
            yield path.stem, "", shown(path), f"{_where(path, folders)}, shadowed by {shown(first[path.stem])}"
            continue
        first[path.stem] = path
        try:
            label = load_profile(path).label
        except BriefsError:
            label = f"(invalid: run `{program()} check`)"
        yield path.stem, label, shown(path), _where(path, folders)


def _data_files(given: list[Path] | None, folders: list[Path]) -> Iterator[tuple[str, ...]]:
    paths = data_paths(given or [], Path.cwd())
    origin = "--data" if given else None
    try:
        scheme = load_scheme(scheme_path(folders[:-1]))
    except BriefsError:
        scheme = Scheme(Path(), {})
    for path in paths:
        try:
            data_id = load_dataset(path, scheme).id
        except BriefsError:
            data_id = f"(invalid: run `{program()} check`)"
        where = origin or ("built-in" if path.resolve().is_relative_to(builtin_data_dir().resolve()) else "./data")
        yield data_id, shown(path), where


def _templates(folders: list[Path]) -> Iterator[tuple[str, ...]]:
    first: dict[str, Path] = {}
    for folder in folders:
        found = sorted(p for p in folder.rglob("*") if (p.suffix in _TEMPLATE_SUFFIXES or p.name == SCHEME_NAME) and p.is_file())
        for path in found:
            name = path.relative_to(folder).as_posix()
            where = _where(path, folders)
            yield name, shown(path), f"{where}, shadowed by {shown(first[name])}" if name in first else where
            first.setdefault(name, path)


def _styles(settings: Settings) -> Iterator[tuple[str, ...]]:
    for label, key, path, default in (("theme", "theme", settings.theme, THEME_NAME),
                                      ("reference DOCX", "reference_docx", settings.reference_docx, REFERENCE_NAME)):
        if path is None:
            yield label, f"built-in (a copy to start from: {shown(builtin_style(default))})", "built-in"
        else:
            yield label, shown(path), settings.origin(key)
    deck = reference_deck(settings.template_dirs)
    yield "reference deck", shown(deck) if deck else f"built-in 16:9 slides (add {REFERENCE_DECK_NAME} to a templates folder)", (
        _where(deck, list(settings.template_dirs)) if deck else "built-in")
    if settings.page_size:
        yield "page size", settings.page_size, f"{settings.origin('page_size')}; wins over data files and styles"
    else:
        yield "page size", "a data file's page_size, else the theme's or reference DOCX's, else A4", "per brief"


def _table(rows: Iterator[tuple[str, ...]]) -> list[str]:
    """Return rows as aligned, indented lines (the last column is not padded)."""
    materialised = list(rows)
    if not materialised:
        return ["  (none)"]
    widths = [max(len(row[i]) for row in materialised) for i in range(len(materialised[0]) - 1)]
    return ["  " + "  ".join([*(cell.ljust(w) for cell, w in zip(row, widths, strict=False)), row[-1]]).rstrip()
            for row in materialised]
