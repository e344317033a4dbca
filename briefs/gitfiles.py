"""Read one file as it was at a git revision, without letting a user's value reach git as an option.

    top = top_level(folder)                    # the repository holding folder (GitUnavailable if none)
    commit = resolve_commit(top, "HEAD~1")     # a full commit id (BadRevision if not a commit)
    entry = find_file(top, commit, "d.yaml")   # its blob id, mode and size (None: not there then)
    copy_blob(top, entry, open_file)           # its bytes, straight from git into a file

Every user value is checked before git sees it: a revision goes after `--end-of-options` and must
name a commit (`--output=x`, `-h` or `HEAD:d.yaml` are refused, never read as options); a path goes
after `--` as a literal pathspec. Git writes a blob straight into the file given, so memory stays
flat however large it is; callers check its size (from the tree, before reading) first. Each call
has a timeout, so a search such as `:/text` in a huge history cannot hang a command.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

__all__ = ["TIMEOUT", "BadRevision", "Entry", "GitUnavailable", "commit_date", "copy_blob", "find_file", "resolve_commit", "top_level"]

TIMEOUT = 60
"""Seconds one git call may take before it is stopped."""

_ENV = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_LITERAL_PATHSPECS": "1", "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"}
_OBJECT_ID = re.compile(r"[0-9a-f]{40}([0-9a-f]{24})?")
_ENTRY = re.compile(rb"(?P<mode>[0-7]{6}) (?P<type>\w+) (?P<oid>[0-9a-f]{40,64}) +(?P<size>\d+|-)\t(?P<path>.*)", re.DOTALL)


class GitUnavailable(Exception):
    """Git is not installed, or the folder is not in a repository it can read; the message says which."""


class BadRevision(Exception):
    """The revision names no commit of the repository; the message is git's reason."""


@dataclass(frozen=True)
class Entry:
    """A file of a commit's tree, as `git ls-tree -l` lists it."""

    oid: str
    """Its object id (a blob for a file; a commit for a submodule)."""
    mode: str
    """Its mode: 100644 or 100755 for a file, 120000 for a symbolic link, 160000 for a submodule."""
    size: int | None
    """Its size in bytes (None for a submodule)."""

    @property
    def is_file(self) -> bool:
        """Whether it is a regular file (not a symbolic link, a folder or a submodule)."""
        return self.mode in ("100644", "100755")


def top_level(folder: Path) -> Path:
    """Return the top folder of the repository holding `folder`; raise GitUnavailable otherwise."""
    done = _git(folder, "rev-parse", "--show-toplevel", unavailable=True)
    if done.returncode != 0:
        reason = _reason(done.stderr)
        raise GitUnavailable("not in a git repository" if "not a git repository" in reason or not reason else reason)
    return Path(os.fsdecode(done.stdout.rstrip(b"\n")))


def resolve_commit(top: Path, revision: str) -> str:
    """Return the full id of the commit `revision` names (a tag is followed to its commit); raise BadRevision otherwise.

    The revision is resolved alone first, since a suffix such as `^{commit}` would become part of a
    `:/text` search; the object id found is then followed to its commit.
    """
    if not revision or "\0" in revision:
        raise BadRevision("not a revision")
    found = _object_id(top, "--end-of-options", revision)
    commit = _object_id(top, f"{found}^{{commit}}") if found else ""
    if not commit:
        raise BadRevision("git knows no commit by that name")
    return commit


def _object_id(top: Path, *revision: str) -> str:
    """Return the full object id `git rev-parse --verify` finds for `revision`, or "" when there is none."""
    done = _git(top, "rev-parse", "--quiet", "--verify", *revision)
    found = done.stdout.decode("ascii", "replace").strip()
    return found if done.returncode == 0 and _OBJECT_ID.fullmatch(found) else ""


def find_file(top: Path, commit: str, relative: str) -> Entry | None:
    """Return the entry of `relative` (a path from the top, with `/`) in `commit`, or None when it is not there."""
    done = _git(top, "ls-tree", "-l", "-z", "--full-tree", commit, "--", relative)
    if done.returncode != 0:
        raise BadRevision(_reason(done.stderr) or "cannot list the files of that revision")
    for record in done.stdout.split(b"\0"):
        found = _ENTRY.fullmatch(record)
        if found and os.fsdecode(found["path"]) == relative:
            size = found["size"].decode()
            return Entry(found["oid"].decode(), found["mode"].decode(), None if size == "-" else int(size))
    return None


def copy_blob(top: Path, entry: Entry, into: BinaryIO) -> None:
    """Write the bytes of the blob `entry` names into `into` (git writes them itself: nothing is held in memory)."""
    try:
        done = subprocess.run(["git", "cat-file", "blob", entry.oid], cwd=top, env=_ENV, stdout=into,
                              stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, timeout=TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        raise GitUnavailable(f"git took more than {TIMEOUT} s to read the file") from None
    if done.returncode != 0:
        raise BadRevision(_reason(done.stderr) or "cannot read the file at that revision")


def commit_date(top: Path, commit: str) -> str:
    """Return the committer date of `commit` as YYYY-MM-DD."""
    return _git(top, "show", "-s", "--format=%cs", commit).stdout.decode("ascii", "replace").strip()


def _git(folder: Path, *args: str, unavailable: bool = False) -> subprocess.CompletedProcess[bytes]:
    """Run git in `folder` and return what it printed, as bytes (a file's name or text need not be UTF-8)."""
    try:
        return subprocess.run(["git", *args], cwd=folder, env=_ENV, capture_output=True, stdin=subprocess.DEVNULL,
                              timeout=TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        raise GitUnavailable(f"git took more than {TIMEOUT} s") from None
    except OSError as exc:
        raise GitUnavailable("git is not installed" if unavailable else f"git cannot run ({exc.strerror or exc})") from None


def _reason(stderr: bytes) -> str:
    """Return git's complaint on one short line."""
    return " ".join(stderr.decode("utf-8", "replace").split())[:200]
