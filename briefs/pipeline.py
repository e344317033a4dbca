"""The main job, read top to bottom: load, select, compose, write.

Everything that can fail on bad input (data, profiles, templates) runs before the first byte is
written, so an invalid input leaves no file behind.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .compose import compose
from .doctree import Document
from .errors import ProfileError
from .loading import load_dataset, load_profiles
from .models import Dataset, Profile
from .output import inside, sweep_temporary, write_atomic
from .rendering import Renderer
from .resources import builtin_data_dir, builtin_templates_dir
from .selection import select
from .writers import FORMATS, get_writer

__all__ = ["Inputs", "Written", "default_data_paths", "generate", "load_inputs", "profile_paths"]


@dataclass(frozen=True)
class Inputs:
    """Everything a run reads, loaded and validated."""

    datasets: tuple[tuple[Path, Dataset], ...]
    profiles: dict[str, Profile]
    renderer: Renderer


@dataclass(frozen=True)
class Written:
    """One output file and what its writer warned about."""

    path: Path
    size: int
    warnings: tuple[str, ...] = field(default=())


def default_data_paths(cwd: Path) -> list[Path]:
    """Return ./data/*.yaml when the working directory has any, else the built-in data files."""
    local = sorted((cwd / "data").glob("*.yaml"))
    return local or sorted(builtin_data_dir().glob("*.yaml"))


def profile_paths(template_dirs: Sequence[Path]) -> list[Path]:
    """Return every profile file, user folders first (the first file of an id wins)."""
    folders = [*template_dirs, builtin_templates_dir()]
    return [path for folder in folders for path in sorted((folder / "audiences").glob("*.yaml"))]


def load_inputs(data_paths: Sequence[Path], template_dirs: Sequence[Path] = ()) -> Inputs:
    """Load and validate data files, profiles and the template search path."""
    datasets = tuple((path, load_dataset(path)) for path in data_paths)
    profiles = load_profiles(profile_paths(template_dirs))
    return Inputs(datasets, profiles, Renderer(template_dirs))


def generate(
    inputs: Inputs,
    out_dir: Path,
    *,
    audiences: Sequence[str] = (),
    formats: Sequence[str] = FORMATS,
    page_size: str | None = None,
) -> list[Written]:
    """Write every chosen audience x format brief of every dataset; return what was written."""
    chosen = _chosen_profiles(inputs.profiles, audiences)
    documents: list[tuple[Path, Document]] = []
    for _path, dataset in inputs.datasets:
        for profile in chosen:
            brief = select(dataset, profile)
            document = compose(brief, inputs.renderer, template=profile.template, page_size=page_size)
            documents.append((out_dir / dataset.id / profile.id, document))
    rendered: list[tuple[Path, bytes, list[str]]] = []
    for stem, document in documents:
        for fmt in formats:
            buffer = io.BytesIO()
            warnings = get_writer(fmt)(document, buffer)
            rendered.append((stem.with_suffix(f".{fmt}"), buffer.getvalue(), warnings))
    written = []
    for folder in {path.parent for path, _, _ in rendered}:
        sweep_temporary(folder)
    for path, data, warnings in rendered:
        target = inside(out_dir, str(path.relative_to(out_dir)))
        write_atomic(target, data)
        written.append(Written(target, len(data), tuple(warnings)))
    return written


def _chosen_profiles(profiles: dict[str, Profile], audiences: Sequence[str]) -> list[Profile]:
    if not audiences:
        return [profiles[key] for key in sorted(profiles)]
    unknown = [a for a in audiences if a not in profiles]
    if unknown:
        raise ProfileError(f"unknown audience {unknown[0]!r}; known audiences: {', '.join(sorted(profiles))}")
    return [profiles[a] for a in dict.fromkeys(audiences)]
