"""Keys of batch outputs: a sha256 of everything an output depends on, computed without rendering.

    key = sha256(code, templates, page size,                          the run's
                 writer code, libraries, fonts, style (theme, reference, logo),  the format's
                 the selected Brief and its template name,                 the audience's
                 the row)                                                  the recipient's

Two outputs with equal keys have identical content, so a rerun skips an output whose key is
unchanged. The Brief is hashed without its `decisions` (the reasons for `explain`, which no
output prints) and with everything it prints, citation numbers included: a changed fact changes
the key of exactly the audiences that show it, or now select it, or whose numbering it moves.
Erring is only ever towards rendering again: a change to the code that shapes an output (all of
it but the modules in _NOT_IN_OUTPUTS; for a writer, only its own format), to any template or
style file on the search path, to a library version or to a font file re-renders.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from collections.abc import Iterator, Mapping, Sequence
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from .. import __version__
from ..brief import Brief
from ..resources import builtin_templates_dir
from ..writers import WRITERS, Style

__all__ = ["Fingerprints", "brief_digest", "fingerprints", "output_key", "row_digest"]

_PACKAGE = Path(__file__).resolve().parent.parent
_NOT_IN_OUTPUTS = frozenset({
    "batch", "commands", "cli.py", "manifest.py", "naming.py", "checking", "explaining.py", "impacting.py", "schema.py",
    "invocation.py", "locations.py", "validation.py", "scaffold",
})
"""Package modules (first path part) that decide what to write and where, never what a brief holds."""


@dataclasses.dataclass(frozen=True)
class Fingerprints:
    """Digests of what every output of a run shares."""

    run: str
    """Code, templates and options."""
    formats: dict[str, str]
    """Format -> digest of its writer's libraries and fonts."""


def fingerprints(template_dirs: Sequence[Path], styles: Mapping[str, Style], page_size: str | None) -> Fingerprints:
    """Return the fingerprints of a run with these styles by format (hashes code, templates and style files: a few ms)."""
    run = _sha(__version__, _code_digests().get("", ""), _templates_digest(template_dirs), _library("jinja2"), page_size or "")
    return Fingerprints(run, {fmt: _format_digest(fmt, style) for fmt, style in styles.items()})


def brief_digest(brief: Brief) -> str:
    """Return a sha256 of what `brief` prints (all but its decisions), as canonical JSON."""
    content = dataclasses.asdict(dataclasses.replace(brief, decisions=()))
    return _sha(json.dumps(content, sort_keys=True, ensure_ascii=False, default=_json_value))


def row_digest(fields: Mapping[str, str]) -> str:
    """Return a sha256 of a recipient's row (column order does not matter)."""
    return _sha(json.dumps(fields, sort_keys=True, ensure_ascii=False))


def output_key(prints: Fingerprints, fmt: str, brief: str, template: str | None, row: str) -> str:
    """Return the key of one output from digests already computed."""
    return _sha(prints.run, prints.formats[fmt], fmt, brief, template or "", row)


def _sha(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", errors="surrogatepass")).hexdigest()


def _json_value(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"cannot hash a {type(value).__name__}")


@cache
def _code_digests() -> dict[str, str]:
    """Hash the package's Python sources, by the format they shape ('' for all formats).

    A code change re-renders even without a version bump: a change in `writers/pdf/` re-renders
    the PDFs only, a change elsewhere every output. Modules that cannot change an output's bytes
    are left out, so that editing, say, a command's messages re-renders nothing; a module not
    listed in _NOT_IN_OUTPUTS counts (erring towards rendering again).
    """
    sources: dict[str, list[bytes]] = {}
    for path in sorted(_PACKAGE.rglob("*.py")):
        relative = path.relative_to(_PACKAGE)
        owner = _owner(relative.parts)
        if owner is not None:
            sources.setdefault(owner, []).append(relative.as_posix().encode() + b"\0" + path.read_bytes())
    return {owner: hashlib.sha256(b"\0".join(texts)).hexdigest() for owner, texts in sources.items()}


def _owner(parts: tuple[str, ...]) -> str | None:
    """Return the format a source file shapes ('docx' for writers/docx/...), '' for every format, None for none."""
    if parts[0] in _NOT_IN_OUTPUTS:
        return None
    if parts[0] == "writers" and len(parts) > 1:
        return _WRITER_PACKAGES.get(parts[1].removesuffix(".py"), "")
    return ""


_WRITER_PACKAGES = {spec.module.removeprefix("briefs.writers."): fmt for fmt, spec in WRITERS.items()}
"""A writer's package under writers/ -> its format (a writer's code re-renders only its own format)."""


def _templates_digest(template_dirs: Sequence[Path]) -> str:
    """Hash every file on the template search path, in precedence order, except profiles.

    Profiles are left out: what they change in a brief is in the Brief (or its template name).
    """
    digest = hashlib.sha256()
    for index, folder in enumerate([*template_dirs, builtin_templates_dir()]):
        for path in sorted(folder.rglob("*")):
            relative = path.relative_to(folder)
            if path.is_file() and relative.parts[0] != "audiences":
                digest.update(f"{index}:{relative.as_posix()}\0".encode() + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _format_digest(fmt: str, style: Style) -> str:
    """Hash a format's library versions, the fonts it may embed (names and sizes) and its style.

    The style is hashed as its repr (theme values, page size, file names) plus the bytes of every
    file it names, whatever field names it (reference document, logos, theme fonts).
    """
    spec = WRITERS[fmt]
    parts = [f"{path.name}:{path.stat().st_size}" for path in (spec.files() if spec.files else ())]
    parts += [repr(style), *(_file_digest(path) for path in sorted(set(_paths_in(style))))]
    return _sha(fmt, _code_digests().get(fmt, ""), *(_library(name) for name in spec.libraries), *parts)


def _paths_in(value: object) -> Iterator[Path]:
    """Yield every Path inside a (nested) dataclass, tuple, list or dict."""
    if isinstance(value, Path):
        yield value
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for item in dataclasses.fields(value):
            yield from _paths_in(getattr(value, item.name))
    elif isinstance(value, tuple | list):
        for item in value:
            yield from _paths_in(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _paths_in(item)


def _file_digest(path: Path) -> str:
    try:
        with path.open("rb") as stream:
            return f"{path}:{hashlib.file_digest(stream, 'sha256').hexdigest()}"
    except OSError:
        return f"{path}:unreadable"


def _library(name: str) -> str:
    try:
        return f"{name}={metadata.version(name)}"
    except metadata.PackageNotFoundError:
        return f"{name}=?"
