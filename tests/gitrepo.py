"""A git repository made for a test: a data file's earlier edition at HEAD~1, its new one in the working tree."""

from __future__ import annotations

import subprocess
from pathlib import Path

__all__ = ["git", "repository_with_old_edition"]


def git(repo: Path, *args: str) -> None:
    """Run git in `repo` as a throwaway identity, failing the test if it fails."""
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org", *args], check=True,
                   capture_output=True)


def repository_with_old_edition(folder: Path, old: bytes | None, new: str) -> Path:
    """Return `folder/repo/topic.yaml`: `old` committed in the first commit (None: no such file then), a second commit
    ("second") on top, and `new` in the working tree."""
    repo = folder / "repo"
    repo.mkdir()
    data = repo / "topic.yaml"
    git(repo, "init", "-q")
    (repo / "notes.txt").write_text("first\n", encoding="utf-8")
    if old is not None:
        data.write_bytes(old)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "first")
    (repo / "notes.txt").write_text("second\n", encoding="utf-8")
    git(repo, "commit", "-qam", "second")
    data.write_text(new, encoding="utf-8")
    return data
