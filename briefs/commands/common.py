"""Options several commands share, and loading the inputs and settings they name."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..config import CONFIG_NAME, CommandLine, ConfigError, Settings, resolve_settings
from ..errors import BriefsError, DataError, all_of
from ..locations import MISSING_SUMMARY, data_paths
from ..models import Dataset
from ..pages import PAGE_SIZES, page_name
from ..pipeline import Inputs, load_inputs
from ..writers import DEFAULT_FORMATS, FORMATS

__all__ = [
    "add_input_options", "add_page_size_option", "add_since_option", "add_style_options", "editions_from", "inputs_from",
    "settings_from", "shown",
]


def add_input_options(parser: argparse.ArgumentParser) -> None:
    """Add --data, --templates and --config, which every command reading data or templates takes."""
    parser.add_argument("--data", action="append", type=Path, metavar="FILE",
                        help="data file (.yaml, .yml or .xlsx), or a folder of them (repeatable; default: ./data/, else the built-in data)")
    parser.add_argument("--templates", action="append", type=Path, default=[], metavar="DIR",
                        help="user templates folder, searched before the built-in ones (repeatable)")
    parser.add_argument("--config", type=Path, metavar="FILE",
                        help=f"config file of default options (default: ./{CONFIG_NAME} when there is one)")


def add_style_options(parser: argparse.ArgumentParser) -> None:
    """Add --theme and --reference-docx, for commands that write briefs or show where styles come from."""
    parser.add_argument("--pdf-theme", dest="pdf_theme", type=Path, help=argparse.SUPPRESS)  # the older name of --theme
    parser.add_argument("--theme", type=Path, metavar="FILE",
                        help="theme (YAML: fonts, colours, page size, margins, logo; default: a templates folder's "
                             "styles/theme.yaml, else the built-in theme)")
    parser.add_argument("--reference-docx", type=Path, metavar="FILE",
                        help="Word document whose styles, page setup, headers and footers the DOCX briefs use (default: a "
                             "templates folder's styles/reference.docx, else the built-in styles)")


def add_since_option(parser: argparse.ArgumentParser) -> None:
    """Add --since, the earlier edition whose changes each brief lists."""
    parser.add_argument("--since", metavar="OLD", help="open each brief with what changed since OLD: an earlier data file, or a "
                                                       "git revision of the data file (e.g. HEAD~1)")


def editions_from(args: argparse.Namespace, inputs: Inputs, settings: Settings) -> dict[Path, Dataset]:
    """Return the earlier edition of each data file that --since names ({} without --since)."""
    if not getattr(args, "since", None):
        return {}
    from ..earlier import is_data_file, read_edition
    from ..topics import load_scheme, scheme_path

    if is_data_file(args.since) and len(inputs.datasets) != 1:
        raise DataError(f"--since {args.since}: an earlier data file goes with one data file (--data FILE); "
                        "a git revision goes with any number")
    scheme = load_scheme(scheme_path(settings.template_dirs))
    editions = {path: read_edition(args.since, path, dataset, scheme) for path, dataset in inputs.datasets}
    for edition in editions.values():
        if edition.note:
            print(f"note: {edition.note}", file=sys.stderr)
    return {path: edition.dataset for path, edition in editions.items()}


def add_format_option(parser: argparse.ArgumentParser) -> None:
    """Add -f/--format, taking every format of the writer table in any case."""
    parser.add_argument("-f", "--format", action="append", type=_format, choices=FORMATS, default=[],
                        help=f"output format: {', '.join(FORMATS)} (repeatable; default: {' and '.join(DEFAULT_FORMATS)})")


def _format(text: str) -> str:
    return text.strip().lower()


def add_page_size_option(parser: argparse.ArgumentParser, help_text: str) -> None:
    """Add --page-size, taking every size of the one table (pages.PAGE_SIZES) in any case."""
    parser.add_argument("--page-size", type=_page_size, metavar="SIZE", help=f"{help_text}; one of {', '.join(PAGE_SIZES)} (any case)")


def _page_size(text: str) -> str:
    try:
        return page_name(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def settings_from(args: argparse.Namespace) -> Settings:
    """Return the settings of the command line, the config file and the template folders (options a command lacks are unset)."""
    given = vars(args)
    theme, older = given.get("theme"), given.get("pdf_theme")
    if theme is not None and older is not None and theme != older:
        raise ConfigError(f"--theme {theme} and --pdf-theme {older}: give one theme (--pdf-theme is --theme's older name)")
    try:
        return resolve_settings(
            CommandLine(tuple(given.get("templates") or ()), theme or older, given.get("reference_docx"),
                        given.get("page_size"), given.get("config")),
            Path.cwd(),
        )
    except BriefsError as exc:
        raise all_of([exc, *_data_problems(args)], MISSING_SUMMARY) from None


def _data_problems(args: argparse.Namespace) -> list[BriefsError]:
    """Return what is wrong with the data files a command names (none for a command without --data), to name with other problems."""
    if not hasattr(args, "data"):
        return []
    try:
        data_paths(args.data or [], Path.cwd())
    except BriefsError as exc:
        return [exc]
    return []


def inputs_from(args: argparse.Namespace, settings: Settings | None = None, *, styles: bool = False, recipients: bool = False) -> Inputs:
    """Load and validate the data files and templates the arguments name; with `styles`, the theme and reference too.

    Without `styles` (a command that writes no brief) or with `recipients` (a batch), a template
    that needs a recipient is not an error (see `pipeline.load_inputs`).
    """
    settings = settings or settings_from(args)
    data = data_paths(args.data or [], Path.cwd())
    if not styles:
        return load_inputs(data, settings.template_dirs, recipients=True)
    return load_inputs(data, settings.template_dirs, theme=settings.theme, reference_docx=settings.reference_docx,
                       recipients=recipients)


def shown(path: Path) -> str:
    """Return `path` relative to the working directory when it is inside it, as editors and terminals expect."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)
