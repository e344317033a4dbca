"""Options several commands share, and loading the inputs and settings they name."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from ..config import CONFIG_NAME, CommandLine, ConfigError, Settings, resolve_settings
from ..errors import BriefsError, DataError, all_of, one_line
from ..languages import language_tag
from ..locations import MISSING_SUMMARY, data_paths
from ..models import Dataset
from ..pages import PAGE_SIZES, page_name
from ..pipeline import Inputs, load_inputs
from ..writers import default_formats, formats

if TYPE_CHECKING:
    from ..checking import EditionReader
    from ..pipeline import EarlierTranslations
    from ..topics import Scheme
    from ..translations import Translation

__all__ = [
    "add_input_options", "add_language_option", "add_page_size_option", "add_since_option", "add_style_options",
    "argument_type", "edition_out", "editions_from", "inputs_from", "settings_from", "shown",
]

T = TypeVar("T")


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
    """Return the earlier edition of each data file that --since names ({} without --since): as the inputs were loaded
    with them (`inputs_from`), else read now."""
    if not getattr(args, "since", None):
        return {}
    if inputs.editions:
        return dict(inputs.editions)
    from ..topics import load_scheme, scheme_path

    return _read_editions(args.since, inputs.datasets, load_scheme(scheme_path(settings.template_dirs)))


def _edition_reader(args: argparse.Namespace) -> EditionReader | None:
    """Return how the check reads the earlier editions --since names (None without --since)."""
    since: str | None = getattr(args, "since", None)
    if not since:
        return None
    return lambda datasets, scheme: _read_editions(since, datasets, scheme)


def _earlier_translations(args: argparse.Namespace) -> EarlierTranslations | None:
    """Return how the translation each earlier edition --since names had is read (None without --since)."""
    since: str | None = getattr(args, "since", None)
    if not since:
        return None
    from ..earlier import read_earlier_translation

    def read(path: Path, earlier: Dataset, tag: str) -> Translation | None:
        try:
            return read_earlier_translation(since, path, earlier, tag)
        except DataError as exc:
            print(f"note: {one_line(str(exc))}; the earlier edition's old wording is shown from the current translation "
                  "where it still fits, else in the original language", file=sys.stderr)
            return None

    return read


def _read_editions(since: str, datasets: Sequence[tuple[Path, Dataset]], scheme: Scheme) -> dict[Path, Dataset]:
    from ..earlier import is_data_file, read_edition

    if is_data_file(since) and len(datasets) != 1:
        raise DataError(f"--since {since}: an earlier data file goes with one data file (--data FILE); "
                        "a git revision goes with any number")
    editions = {path: read_edition(since, path, dataset, scheme) for path, dataset in datasets}
    for edition in editions.values():
        if edition.note:
            print(f"note: {edition.note}", file=sys.stderr)
    return {path: edition.dataset for path, edition in editions.items()}


def add_format_option(parser: argparse.ArgumentParser) -> None:
    """Add -f/--format, taking every format of the writer table in any case."""
    parser.add_argument("-f", "--format", action="append", type=_format, choices=formats(), default=[],
                        help=f"output format: {', '.join(formats())} (repeatable; default: {' and '.join(default_formats())})")


def _format(text: str) -> str:
    return text.strip().lower()


def add_page_size_option(parser: argparse.ArgumentParser, help_text: str) -> None:
    """Add --page-size, taking every size of the one table (pages.PAGE_SIZES) in any case."""
    parser.add_argument("--page-size", type=_page_size, metavar="SIZE", help=f"{help_text}; one of {', '.join(PAGE_SIZES)} (any case)")


def add_max_pages_option(parser: argparse.ArgumentParser) -> None:
    """Add --max-pages: a page budget every brief is cut to fit (over each profile's `max_pages`)."""
    parser.add_argument("--max-pages", type=_pages, metavar="N",
                        help="cut each brief to fit N pages, lowest-scored items first (default: each profile's max_pages, else no budget)")


def _pages(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 1000:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of pages from 1 to 1000")
    return int(text)


def argument_type(parse: Callable[[str], T]) -> Callable[[str], T]:
    """Return `parse` as an argparse type, so that the ValueError naming what is wrong becomes the one-line usage error."""
    def typed(text: str) -> T:
        try:
            return parse(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    typed.__name__ = parse.__name__  # argparse names the type in its other messages
    return typed


_page_size = argument_type(page_name)


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
    language = getattr(args, "language", None)
    if not styles:
        return load_inputs(data, settings.template_dirs, recipients=True, language=language)
    return load_inputs(data, settings.template_dirs, theme=settings.theme, reference_docx=settings.reference_docx,
                       recipients=recipients, language=language, editions=_edition_reader(args),
                       earlier_translations=_earlier_translations(args))


def add_language_option(parser: argparse.ArgumentParser) -> None:
    """Add --language: the edition to write, from the translations beside each data file."""
    parser.add_argument("--language", type=_language, metavar="TAG",
                        help="write the edition in this language (a BCP 47 tag such as ja), from the translation "
                             "beside each data file (<data>.<TAG>.yaml), into OUT/<TAG>/, beside the default edition")


def edition_out(out: Path, args: argparse.Namespace) -> Path:
    """Return the output folder of the edition the arguments ask for: OUT, or OUT/<language>/ for a translation."""
    language = getattr(args, "language", None)
    return out / language if language else out


_language = argument_type(language_tag)


def shown(path: Path) -> str:
    """Return `path` relative to the working directory when it is inside it, as editors and terminals expect."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)
