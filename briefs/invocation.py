"""How the user ran briefs, so that hints name a command they can type."""

from __future__ import annotations

import sys
from pathlib import Path

__all__ = ["program"]


def program() -> str:
    """Return `python generate.py` when run through the repository's script, else `briefs` (the console script)."""
    return "python generate.py" if Path(sys.argv[0]).name == "generate.py" else "briefs"
