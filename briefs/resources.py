"""Where the built-in templates, profiles, data and fonts live, installed or in a checkout.

A wheel carries them inside the package (`briefs/_builtin/`); a source checkout or an editable
install finds them at the repository root, where users look for them.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["builtin_data_dir", "builtin_templates_dir", "fonts_dir"]

_PACKAGE = Path(__file__).resolve().parent


def _first_existing(*candidates: Path) -> Path:
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    return candidates[0]


def builtin_templates_dir() -> Path:
    """Return the folder of the built-in templates (with `audiences/` and `styles/` inside)."""
    return _first_existing(_PACKAGE / "_builtin" / "templates", _PACKAGE.parent / "templates")


def builtin_data_dir() -> Path:
    """Return the folder of the built-in data files."""
    return _first_existing(_PACKAGE / "_builtin" / "data", _PACKAGE.parent / "data")


def fonts_dir() -> Path:
    """Return the folder of the fonts shipped with the package."""
    return _PACKAGE / "fonts"
