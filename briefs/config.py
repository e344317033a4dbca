"""Settings of a run beyond the data files: template folders, theme, reference document, page size.

They come from the command line, from a config file (`--config FILE`, else `briefs.yaml` in the
working directory when there is one), and from the template folders themselves:

    # briefs.yaml: paths are relative to this file
    templates: [house-templates]          # searched before the built-in templates
    theme: house-templates/styles/theme.yaml
    reference_docx: house-templates/styles/reference.docx
    page_size: Letter

The config file holds defaults for command-line options: an option given on the command line
wins, and template folders from both are searched, the command line's first. A theme or reference
document not named anywhere is taken from the first template folder holding `styles/theme.yaml`
or `styles/reference.docx`, else the built-in look is used.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import AliasChoices, BaseModel, ConfigDict, Field

from .errors import BriefsError, all_of, one_line
from .invocation import program
from .locations import MISSING_SUMMARY
from .pages import PAGE_SIZES, PageName, PageSize
from .pathguard import check_path
from .resources import builtin_templates_dir
from .validation import read_mapping, validate_model

__all__ = [
    "CONFIG_NAME",
    "DEFAULT_PAGE_SIZE",
    "REFERENCE_DECK_NAME",
    "REFERENCE_NAME",
    "THEME_NAME",
    "CommandLine",
    "ConfigError",
    "Settings",
    "builtin_style",
    "check_image",
    "page_size",
    "reference_deck",
    "resolve_settings",
]

CONFIG_NAME = "briefs.yaml"
"""The config file looked for in the working directory when `--config` is not given."""
THEME_NAME = "styles/theme.yaml"
LEGACY_THEME_NAME = "styles/pdf-theme.yaml"
"""The theme's name in a templates folder made before the theme styled every format (still found)."""
REFERENCE_NAME = "styles/reference.docx"
"""Where a template folder keeps its theme and its Word reference document."""
REFERENCE_DECK_NAME = "styles/reference.pptx"
"""Where a template folder keeps its PowerPoint reference deck (masters and layouts for `-f pptx`)."""
DEFAULT_PAGE_SIZE = "A4"


class ConfigError(BriefsError):
    """A config file, or a folder or file it or the command line names, is unusable."""


def page_size(command_line: str | None, data_file: str | None, style_file: str | PageSize | None) -> PageSize:
    """Return the page size of one brief in one format, as (width, height) in points.

    `style_file` is the theme's page size for a PDF, the reference document's for a DOCX.
    """
    # Precedence, stated once (README, "Settings"): the command line (or the config file, which only holds
    # defaults for command-line options), then the data file, then the theme or the reference
    # document, then the built-in default, A4. The first one given wins.
    for chosen in (command_line, data_file, style_file):
        if isinstance(chosen, str):
            return PAGE_SIZES[chosen]
        if chosen is not None:
            return chosen
    return PAGE_SIZES[DEFAULT_PAGE_SIZE]


class _ConfigFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    templates: tuple[str, ...] = ()
    """Template folders, searched in this order before the built-in templates."""
    theme: str | None = Field(default=None, validation_alias=AliasChoices("theme", "pdf_theme"))
    """`pdf_theme` is its older name."""
    reference_docx: str | None = None
    page_size: PageName | None = None


@dataclass(frozen=True)
class CommandLine:
    """The settings options as given on the command line (None or empty: not given)."""

    templates: tuple[Path, ...] = ()
    theme: Path | None = None
    reference_docx: Path | None = None
    page_size: str | None = None
    config: Path | None = None


@dataclass(frozen=True)
class Settings:
    """Where the templates and styles of a run come from; every path exists."""

    template_dirs: tuple[Path, ...] = ()
    """User template folders, in search order (the built-ins come after them)."""
    theme: Path | None = None
    """None: the built-in theme."""
    reference_docx: Path | None = None
    """None: the built-in base document."""
    page_size: str | None = None
    """From the command line or the config file; None lets the data file, theme or reference decide."""
    config: Path | None = None
    """The config file read, if any."""
    origins: tuple[tuple[str, str], ...] = ()
    """Setting name -> where its value came from, for `briefs list`."""

    def origin(self, name: str) -> str:
        """Return where setting `name` came from ('built-in' when nowhere else)."""
        return dict(self.origins).get(name, "built-in")


def resolve_settings(given: CommandLine, cwd: Path) -> Settings:
    """Combine the command line, the config file and the template folders; check every path named."""
    config_path = given.config or (cwd / CONFIG_NAME if (cwd / CONFIG_NAME).is_file() else None)
    config = _read_config(config_path) if config_path else _ConfigFile()
    base = config_path.parent if config_path else cwd
    where = f"config file {config_path}"
    origins: dict[str, str] = {}
    dirs = [*given.templates, *(check_path(base / d, f"templates in {where}") for d in config.templates)]
    problems: list[BriefsError] = [
        ConfigError(f"{folder}: no such templates folder ({source}); create it with `{program()} init {folder}`")
        for folder in dirs if not folder.is_dir()
        for source in ["--templates" if folder in given.templates else f"templates in {config_path}"]
    ]
    theme = _collected(problems, lambda: _style_file("theme", given.theme, config.theme, base, dirs, (THEME_NAME, LEGACY_THEME_NAME),
                                                     where, origins))
    reference = _collected(problems, lambda: _style_file("reference_docx", given.reference_docx, config.reference_docx, base, dirs,
                                                         (REFERENCE_NAME,), where, origins))
    if problems:
        raise all_of(problems, MISSING_SUMMARY)
    size = given.page_size or config.page_size
    if given.page_size or config.page_size:
        origins["page_size"] = "command line" if given.page_size else where
    return Settings(tuple(dict.fromkeys(dirs)), theme, reference, size, config_path, tuple(origins.items()))


def _style_file(name: str, command_line: Path | None, configured: str | None, base: Path, dirs: list[Path],
                in_folder: tuple[str, ...], where: str, origins: dict[str, str]) -> Path | None:
    """Return the first of: the command line's file, the config file's, the first template folder's; None for built-in."""
    option = "--" + name.replace("_", "-")
    if command_line is not None:
        origins[name] = "command line"
        return _existing(command_line, option)
    if configured is not None:
        origins[name] = where
        return _existing(check_path(base / configured, f"{name} in the {where}"), f"{name} in the {where}")
    for folder in dirs:
        for file_name in in_folder:
            if (folder / file_name).is_file():
                origins[name] = f"templates folder {folder}"
                return folder / file_name
    return None


def _collected(problems: list[BriefsError], find: Callable[[], Path | None]) -> Path | None:
    """Return what `find` returns; on a ConfigError, add it to `problems` (so every missing file is named) and return None."""
    try:
        return find()
    except ConfigError as exc:
        problems.append(exc)
        return None


def _existing(path: Path, named_by: str) -> Path:
    if not path.is_file():
        raise ConfigError(f"{path}: no such file ({named_by})")
    return path


def _read_config(path: Path) -> _ConfigFile:
    doc = read_mapping(path, ConfigError, empty_ok=True, example="templates: [my-templates]")
    keys = ", ".join(_ConfigFile.model_fields)
    return validate_model(_ConfigFile, doc, path, ConfigError, hint=f"a config file may hold {keys}")


def reference_deck(template_dirs: Sequence[Path]) -> Path | None:
    """Return the first template folder's reference deck (`REFERENCE_DECK_NAME`), None for the built-in slides."""
    return next((folder / REFERENCE_DECK_NAME for folder in template_dirs if (folder / REFERENCE_DECK_NAME).is_file()), None)


def builtin_style(name: str) -> Path:
    """Return the built-in copy of a style file (THEME_NAME or REFERENCE_NAME), as `init` copies it."""
    return builtin_templates_dir() / name


MAX_IMAGE_BYTES = 10_000_000
MAX_IMAGE_PIXELS = 25_000_000
"""A logo's limits: 10 MB and 25 megapixels (a 5000 x 5000 image), far above any logo, far below a decompression bomb."""


def check_image(path: Path) -> str | None:
    """Return what is wrong with an image file for a logo (None when it is a PNG, JPEG or GIF both writers can use).

    The file is read whole by Pillow (so a damaged image is found now) and by python-docx's own
    header reader (what the DOCX writer will use), within the limits above.
    """
    import warnings

    from PIL import Image, UnidentifiedImageError

    try:
        size = path.stat().st_size
        if size > MAX_IMAGE_BYTES:
            return f"{path} is {size / 1e6:.1f} MB; a logo may be at most {MAX_IMAGE_BYTES / 1e6:.0f} MB"
        data = path.read_bytes()
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                kind, (width, height) = image.format, image.size
                if width * height > MAX_IMAGE_PIXELS:
                    return (f"{path} is {width} x {height} pixels; a logo may have at most {MAX_IMAGE_PIXELS / 1e6:.0f} "
                            "million pixels: save a smaller copy")
                image.load()  # decodes every pixel: a truncated or damaged file fails here, not in a writer
        if kind not in ("PNG", "JPEG", "GIF"):
            return f"{path} is a {kind} image: use a PNG or JPEG file"
        from docx.image.image import Image as DocxImage

        DocxImage.from_blob(data)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return f"{path} has more than {MAX_IMAGE_PIXELS / 1e6:.0f} million pixels (a logo may have at most that): save a smaller copy"
    except UnidentifiedImageError:
        return f"{path} is not a PNG, JPEG or GIF image: save the logo as PNG or JPEG"
    except Exception as exc:  # Pillow and python-docx raise many kinds for a damaged file
        return f"{path} is a damaged image ({one_line(str(exc))[:120]}): save the logo again as PNG or JPEG"
    return None
