"""Write the built-in theme's Word reference document: `python -m briefs.writers.docx.reference [PATH]`.

The shipped `templates/styles/reference.docx` (what `init` copies for users to restyle in Word)
is this script's output for `templates/styles/theme.yaml`; a test fails when the two disagree,
so the built-in look lives in one file, the theme, and the reference is never edited by hand.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ...resources import builtin_templates_dir
from ...theme import load_theme
from .base import base

__all__ = ["reference_bytes"]


def reference_bytes(theme_file: Path | None = None) -> bytes:
    """Return the reference document of a theme file (default: the built-in theme)."""
    theme = load_theme(theme_file or builtin_templates_dir() / "styles" / "theme.yaml")
    return base(theme).data


def main(argv: list[str]) -> int:
    target = Path(argv[0]) if argv else builtin_templates_dir() / "styles" / "reference.docx"
    target.write_bytes(reference_bytes())
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
