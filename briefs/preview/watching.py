"""Which files a preview reads, and waiting for one of them to change.

Folders are watched whole (data folder, template folders, the built-in templates), files one by
one (a data file, theme, reference document or config file named on the command line), through
their folder: editors save by writing a new file and renaming it over the old one, which a watch
on the file itself would lose. Only inputs count: a brief someone writes into `out/` beside a
data file starts no build.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path

from watchfiles import Change, awatch

from ..config import CONFIG_NAME
from ..resources import builtin_data_dir, builtin_templates_dir
from ..translations import translations_of
from .builds import Build, Request

__all__ = ["Watched", "changes", "watched"]

INPUT_SUFFIXES = frozenset({".yaml", ".yml", ".xlsx", ".j2", ".docx", ".ttf", ".png", ".jpg", ".jpeg", ".gif", ".bib", ".json", ".csl"})
"""Files a build may read inside a watched folder (data files and workbooks, profiles, templates, theme, reference, fonts,
logos, references, citation styles)."""


_READY_MS = 500
"""The watcher answers at least this often (an empty batch when nothing changed), its first answer saying it watches."""


@dataclass(frozen=True)
class Watched:
    folders: tuple[Path, ...]
    """Watched with everything inside them."""
    files: tuple[Path, ...]
    """Watched one by one."""

    def counts(self, path: Path) -> bool:
        """Whether a change to `path` can change a brief."""
        if path in self.files:
            return True
        if path.suffix.lower() not in INPUT_SUFFIXES or path.name.startswith((".", "~$", "#")):
            return False
        return any(path.is_relative_to(folder) for folder in self.folders)


def watched(request: Request, build: Build) -> Watched:
    """Return what to watch for a server showing `request`, whose latest build is `build`."""
    folders: list[Path] = [builtin_templates_dir(), builtin_data_dir()]
    files: list[Path] = []
    for given in (*(request.data or [Path("data")]), *request.named):
        (folders if given.is_dir() or not given.suffix else files).append(given)
    files += [path for given in request.data if given.is_file() for path in translations_of(given)]
    if build.settings is not None:
        folders += build.settings.template_dirs
        files += [p for p in (build.settings.theme, build.settings.reference_docx, build.settings.config) if p]
    files.append(Path(CONFIG_NAME))
    if build.inputs is not None:
        files += build.inputs.look.logos.values()
        files += [path.parent / dataset.references for path, dataset in build.inputs.datasets if dataset.references]
        styles = [dataset.citation_style for _, dataset in build.inputs.datasets]
        styles += [profile.citation_style for profile in build.inputs.profiles.values()]
        files += [Path(style) for style in styles if style and style.endswith(".csl")]  # made absolute when loaded
    return Watched(tuple(sorted({p.resolve() for p in folders})), tuple(sorted({p.resolve() for p in files})))


async def changes(watch: Watched, ready: Callable[[], None] | None = None) -> AsyncIterator[set[Path]]:
    """Yield each batch of changed inputs (watchfiles groups an editor's several writes of one save); the server's
    shutdown cancels the task that iterates. `ready` is called once the watcher watches (its first answer, a change or
    a quiet half second), so that a client can know a save will be seen."""
    roots = {folder for folder in watch.folders if folder.is_dir()}
    roots |= {file.parent for file in watch.files if file.parent.is_dir()}
    async for batch in awatch(*sorted(roots), debounce=150, step=30, rust_timeout=_READY_MS, yield_on_timeout=True):
        if ready is not None:
            ready()
            ready = None
        changed = {Path(path) for change, path in batch if change in (Change.added, Change.modified, Change.deleted)}
        relevant = {path for path in changed if watch.counts(path)}
        if relevant:
            yield relevant
