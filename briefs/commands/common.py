"""Options several commands share, and loading the inputs and settings they name."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..config import CONFIG_NAME, CommandLine, Settings, resolve_settings
from ..pipeline import Inputs, default_data_paths, load_inputs

__all__ = ["add_input_options", "add_style_options", "inputs_from", "settings_from", "shown"]


def add_input_options(parser: argparse.ArgumentParser) -> None:
    """Add --data, --templates and --config, which every command reading data or templates takes."""
    parser.add_argument("--data", action="append", type=Path, metavar="FILE",
                        help="data file (repeatable; default: ./data/*.yaml, else the built-in data)")
    parser.add_argument("--templates", action="append", type=Path, default=[], metavar="DIR",
                        help="user templates folder, searched before the built-in ones (repeatable)")
    parser.add_argument("--config", type=Path, metavar="FILE",
                        help=f"config file of default options (default: ./{CONFIG_NAME} when there is one)")


def add_style_options(parser: argparse.ArgumentParser) -> None:
    """Add --pdf-theme and --reference-docx, for commands that write briefs or show where styles come from."""
    parser.add_argument("--pdf-theme", type=Path, metavar="FILE",
                        help="PDF theme (YAML: fonts, colours, page size, margins, logo; default: a templates folder's "
                             "styles/pdf-theme.yaml, else the built-in theme)")
    parser.add_argument("--reference-docx", type=Path, metavar="FILE",
                        help="Word document whose styles, page setup, headers and footers the DOCX briefs use (default: a "
                             "templates folder's styles/reference.docx, else the built-in styles)")


def settings_from(args: argparse.Namespace) -> Settings:
    """Return the settings of the command line, the config file and the template folders (options a command lacks are unset)."""
    given = vars(args)
    return resolve_settings(
        CommandLine(tuple(given.get("templates") or ()), given.get("pdf_theme"), given.get("reference_docx"),
                    given.get("page_size"), given.get("config")),
        Path.cwd(),
    )


def inputs_from(args: argparse.Namespace, settings: Settings | None = None, *, styles: bool = False) -> Inputs:
    """Load and validate the data files and templates the arguments name; with `styles`, the theme and reference too."""
    settings = settings or settings_from(args)
    data = args.data or default_data_paths(Path.cwd())
    if not styles:
        return load_inputs(data, settings.template_dirs)
    return load_inputs(data, settings.template_dirs, pdf_theme=settings.pdf_theme, reference_docx=settings.reference_docx)


def shown(path: Path) -> str:
    """Return `path` relative to the working directory when it is inside it, as editors and terminals expect."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)
