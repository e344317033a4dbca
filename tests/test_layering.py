"""Layers: outside `briefs/writers/`, modules import the writer table, not a writer; the preview takes settings, not the command line."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

PACKAGE = ROOT / "briefs"
SHARED = {"briefs.writers", "briefs.writers.theme"}
"""What every stage may import of the writers: the table (with Style) and the theme every writer reads."""


def _imported(path: Path, prefix: str = "briefs.writers") -> set[str]:
    """Return the absolute names of the modules `path` imports under `prefix`, however written."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            module = ".".join(part for part in (base, node.module or "") if part)
            names |= {module} | {f"{module}.{alias.name}" for alias in node.names if module == "briefs.writers"}
        elif isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
    return {name for name in names if name == prefix or name.startswith(f"{prefix}.")}


def test_no_module_outside_the_writers_imports_a_writers_internals() -> None:
    outside = [path for path in sorted(PACKAGE.rglob("*.py"))
               if "writers" not in path.relative_to(PACKAGE).parts]
    assert len(outside) > 50
    internals = {str(path.relative_to(ROOT)): sorted(_imported(path) - SHARED - _names_in_table()) for path in outside}
    assert {path: names for path, names in internals.items() if names} == {}


def _names_in_table() -> set[str]:
    """Return `briefs.writers.<name>` for every public name of the table module (imported as `from .writers import X`)."""
    import briefs.writers

    return {f"briefs.writers.{name}" for name in briefs.writers.__all__}


def test_the_preview_takes_settings_and_imports_nothing_of_the_command_line() -> None:
    modules = sorted((PACKAGE / "preview").glob("*.py"))
    assert len(modules) > 3
    assert {str(path.relative_to(ROOT)): sorted(_imported(path, "briefs.commands") | _imported(path, "argparse"))
            for path in modules if _imported(path, "briefs.commands") | _imported(path, "argparse")} == {}
