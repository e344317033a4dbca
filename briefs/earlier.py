"""The earlier edition a diff compares with: a data file, or a git revision of the new one.

    edition = read_edition("HEAD~1", Path("data/d.yaml"), new, scheme)   # new: the data of data/d.yaml now
    edition.name      # "data/d.yaml at HEAD~1" (its path from the repository top): how every message names it
    edition.dataset   # what `editions.diff` compares; with no facts when the file is new since then

A value naming an existing file is that file; anything else is a git revision of the new file's
repository (see `gitfiles` for how git is kept from reading it as an option). A data file that did
not exist at the revision is an edition with nothing in it, so every item of the new one is new.
The old edition is at most `yamlsource.MAX_BYTES`, refused by its size before a byte is read.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import gitfiles, yamlsource
from .datafiles import is_workbook
from .editions import no_earlier_edition
from .errors import DataError, one_line
from .loading import load_dataset
from .models import Dataset
from .topics import Scheme

if TYPE_CHECKING:
    from .translations import Translation

__all__ = ["Edition", "is_data_file", "read_earlier_translation", "read_edition"]


@dataclass(frozen=True)
class Edition:
    """An earlier edition of a data file."""

    name: str
    """How messages name it: the file as given, or `<file> at <revision>`."""
    dataset: Dataset
    """Its data; without facts when the file did not exist then (see `existed`)."""
    existed: bool = True
    """False when the data file did not exist at that revision: every item is new."""

    @property
    def note(self) -> str:
        """Return the sentence telling the user that everything is new, or "" when the file existed."""
        return "" if self.existed else f"{self.name.replace(' at ', ' did not exist at ', 1)}: every item is new"


def is_data_file(value: str) -> bool:
    """Return whether `value` names an existing file."""
    return _kind(value) == "file"


def _kind(value: str) -> str:
    """Return "file", "folder" or "" (nothing there, or a name the system refuses, e.g. one too long)."""
    try:
        path = Path(value)
        return "file" if path.is_file() else "folder" if path.is_dir() else ""
    except (OSError, ValueError):
        return ""


def read_edition(value: str, new_path: Path, new: Dataset, scheme: Scheme, *, given: str = "--since") -> Edition:
    """Return the earlier edition `value` names: a data file, else a git revision of `new_path` (whose data is `new`).

    `given` is how the user gave `value` (`--since`, `OLD`), for messages about a value that names
    neither. Raise DataError naming the edition (`d.yaml at HEAD~1:12: ...`) for anything unusable.
    """
    said = f"{given} {one_line(value)}"
    kind = _kind(value)
    if kind == "file":
        return Edition(value, load_dataset(Path(value), scheme))
    if kind == "folder":
        raise DataError(f"{said}: is a folder, not a data file")
    try:
        top = gitfiles.top_level(new_path.resolve().parent)
        commit = gitfiles.resolve_commit(top, value)
    except gitfiles.GitUnavailable as exc:
        raise DataError(f"{said}: no such data file, and not read as a git revision of {new_path} ({exc})") from None
    except gitfiles.BadRevision as exc:
        raise DataError(f"{said}: no such data file, nor a git revision ({exc})") from None
    return _at_revision(top, commit, value, (new_path, new), scheme)


def _at_revision(top: Path, commit: str, revision: str, new_file: tuple[Path, Dataset], scheme: Scheme) -> Edition:
    """Return the edition of the new file at `commit`, named as the user knows it: `<file> at <revision>`."""
    new_path, new = new_file
    try:
        relative = new_path.resolve().relative_to(top.resolve()).as_posix()
    except ValueError:
        raise DataError(f"{new_path}: not inside the git repository {top} (a symbolic link?), so it has no revisions") from None
    name = f"{relative} at {one_line(revision)}"
    try:
        entry = gitfiles.find_file(top, commit, relative)
        if entry is None:
            as_of = dt.date.fromisoformat(gitfiles.commit_date(top, commit))
            return Edition(name, no_earlier_edition(new, as_of), existed=False)
        return Edition(name, _load_blob(top, entry, name, scheme))
    except (gitfiles.GitUnavailable, gitfiles.BadRevision) as exc:
        raise DataError(f"{name}: git cannot read it ({exc})") from None


def _load_blob(top: Path, entry: gitfiles.Entry, name: str, scheme: Scheme) -> Dataset:
    """Load the blob `entry` as a data file named `name`, refusing one over the size limit before reading it."""
    suffix = ".xlsx" if is_workbook(Path(name.partition(" at ")[0])) else ".yaml"
    with _blob_copy(top, entry, name, f"edition{suffix}") as copy:
        return load_dataset(copy, scheme, shown=Path(name))


@contextmanager
def _blob_copy(top: Path, entry: gitfiles.Entry, name: str, filename: str) -> Iterator[Path]:
    """Yield a copy of the blob `entry` (a file named `name` at a revision) as `filename` in a private folder, which
    holds it only while the caller reads it; refuse one that is not a file or is over the size limit before copying."""
    if not entry.is_file:
        raise DataError(f"{name}: not a file at that revision (a symbolic link, folder or submodule)")
    if entry.size is None or entry.size > yamlsource.MAX_BYTES:
        raise DataError(f"{name}: file is {entry.size or 0:,} bytes; the limit is {yamlsource.MAX_BYTES:,}")
    with tempfile.TemporaryDirectory(prefix=".briefs-edition-") as folder:
        copy = Path(folder) / filename
        with copy.open("wb") as into:
            gitfiles.copy_blob(top, entry, into)
        yield copy


def read_earlier_translation(value: str, new_path: Path, earlier: Dataset, tag: str) -> Translation | None:
    """Return the translation into `tag` of the earlier edition `value` names (the file beside that data file, or the
    translation file at that git revision), read against `earlier`, its data; None when there was none.

    Raise DataError naming the translation as the user knows it (`<file> at <revision>`) when there was one that cannot
    be read: a translation is not checked at every revision, so the caller notes it and goes on without it."""
    from .translations import load_translation, translation_path

    if _kind(value) == "file":
        beside = translation_path(Path(value), tag)
        return load_translation(beside, earlier) if beside.is_file() else None
    try:
        top = gitfiles.top_level(new_path.resolve().parent)
        commit = gitfiles.resolve_commit(top, value)
        relative = translation_path(new_path, tag).resolve().relative_to(top.resolve()).as_posix()
        entry = gitfiles.find_file(top, commit, relative)
    except (ValueError, gitfiles.GitUnavailable, gitfiles.BadRevision):
        return None  # the edition itself was read from git: nothing more to find there
    if entry is None:
        return None
    name = f"{relative} at {one_line(value)}"
    try:
        with _blob_copy(top, entry, name, translation_path(Path("edition.yaml"), tag).name) as copy:
            try:
                return load_translation(copy, earlier)
            except DataError as exc:
                raise DataError(str(exc).replace(str(copy), name)) from None
    except (OSError, gitfiles.GitUnavailable, gitfiles.BadRevision) as exc:
        raise DataError(f"{name}: git cannot read it ({exc})") from None
