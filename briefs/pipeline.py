"""The main job, read top to bottom: load, select, compose, write.

Everything that can fail on bad input (data, profiles, templates, theme, reference document,
logos) runs before the first byte is written, so an invalid input leaves no file behind.
"""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import config
from .brief import Brief
from .compose import compose
from .datafiles import read_data
from .doctree import Document
from .errors import DataError, InvalidInput, ProfileError, ThemeError, located
from .models import Dataset, Profile
from .output import inside, sweep_temporary, write_atomic
from .pages import room_problem
from .rendering import Renderer
from .selection import select
from .writers import DEFAULT_FORMATS, WRITERS, Logo, PageSize, Style, get_writer

if TYPE_CHECKING:
    from .writers.theme import Theme

__all__ = ["Inputs", "LaidOut", "Look", "Written", "generate", "lay_out", "load_inputs", "render", "style_for", "with_changes"]


@dataclass(frozen=True)
class Look:
    """The styles of a run, loaded and checked: theme, reference document, data files' logos."""

    theme: Theme | None = None
    """None: the built-in theme."""
    reference_docx: Path | None = None
    """None: the built-in base document."""
    logos: dict[Path, Path] = field(default_factory=dict)
    """Data file -> its logo image (checked to exist and open)."""


@dataclass(frozen=True)
class Inputs:
    """Everything a run reads, loaded and validated."""

    datasets: tuple[tuple[Path, Dataset], ...]
    profiles: dict[str, Profile]
    renderer: Renderer
    look: Look = Look()
    warnings: int = 0
    """How many warnings `check` has about these inputs (they do not stop a run)."""
    briefs: Mapping[tuple[Path, str], Brief] = field(default_factory=dict)
    """(data file, audience) -> its brief, as `check` selected it: no brief is selected twice in a run."""
    documents: Mapping[tuple[Path, str], Document] = field(default_factory=dict)
    """(data file, audience) -> its document, as `check` laid it out (no recipient, page size or changes)."""

    def brief(self, path: Path, profile: Profile) -> Brief:
        """Return the brief of the data file at `path` for `profile`, selected once per run."""
        return self.briefs.get((path, profile.id)) or select(dict(self.datasets)[path], profile)


@dataclass(frozen=True)
class Written:
    """One output file and what its writer warned about."""

    path: Path
    size: int
    warnings: tuple[str, ...] = field(default=())


def load_inputs(data_paths: Sequence[Path], template_dirs: Sequence[Path] = (), *, theme: Path | None = None,
                reference_docx: Path | None = None, recipients: bool = False) -> Inputs:
    """Load and validate data files, profiles, the topic scheme, the template search path, the styles and the logos.

    The rules of `check` run first, over every input: any error raises InvalidInput listing them
    all, so a command that writes never writes what `check` rejects. With `recipients` (a batch, or
    a command that writes no brief), a template that needs a recipient is not an error here: the
    batch lays each template out with its real rows before writing.
    """
    from .checking import check  # checking composes briefs, so it comes after this module

    report = check(data_paths, template_dirs, theme=theme, reference_docx=reference_docx,
                   recipient=None if recipients else "error").relative_to(Path.cwd())
    if report.errors or report.checked is None:
        lines = [finding.text() for finding in report.findings if finding.severity == "error"]
        raise InvalidInput(lines, f"{report.summary()}: nothing written; fix the errors above and run again")
    # What the check loaded, selected and laid out is what the run writes: each file is read once.
    checked = report.checked
    logos = {path: logo for path, dataset in checked.datasets if (logo := _logo(path, dataset)) is not None}
    look = Look(_theme(theme), _reference(reference_docx), logos)
    return Inputs(checked.datasets, dict(checked.profiles), checked.renderer, look, report.warnings, checked.briefs,
                  checked.documents)


def _theme(path: Path | None) -> Theme | None:
    if path is None:
        return None
    from .theme import load_theme  # imports reportlab: only when a theme is named

    return load_theme(path)


def _reference(path: Path | None) -> Path | None:
    if path is not None:
        for spec in WRITERS.values():
            if spec.reference is not None:
                spec.reference.check(path)  # raises ThemeError now rather than halfway through writing
    return path


def _logo(path: Path, dataset: Dataset) -> Path | None:
    """Return the data file's logo image, checked; raise DataError naming the data file's line."""
    if dataset.logo is None:
        return None
    image = path.parent / dataset.logo
    problem = config.check_image(image) if image.is_file() else (
        f"no image file at {image} (the path is relative to the data file): put the logo there or fix the path")
    if problem:
        raise DataError(located(path, read_data(path).line_of(("logo",)), problem, "logo"))
    return image


def style_for(look: Look, path: Path, dataset: Dataset, fmt: str, page_size: str | None = None) -> Style:
    """Return the style of one data file's briefs in one format; `page_size` is the command line's.

    A format that reads a reference document takes its page size from it when one is given; every
    other format (and that one without a reference) from the theme.
    """
    theme = look.theme
    style_file: str | PageSize | None = theme.page_size if theme else None
    reader = WRITERS[fmt].reference
    if look.reference_docx is not None and reader is not None:
        style_file = reader.page_size(look.reference_docx) or style_file  # (none: `init`'s copy, unchanged)
    logo = theme.logo if theme else None
    if path in look.logos:  # the data file's logo wins over the theme's, in the theme's place (precedence as for page size)
        logo = Logo(look.logos[path], logo.place, logo.width_cm) if logo else Logo(look.logos[path])
    size = config.page_size(page_size, dataset.page_size, style_file)
    if theme is not None:  # the theme's own page was checked on load; this one may be another
        problem = room_problem(size, theme.margins_cm, "the page")
        if problem:
            raise ThemeError(f"theme: {problem} (the page size comes from the command line or the data file)")
    return Style(size, theme, look.reference_docx, logo)


def generate(
    inputs: Inputs,
    out_dir: Path,
    *,
    audiences: Sequence[str] = (),
    formats: Sequence[str] = DEFAULT_FORMATS,
    page_size: str | None = None,
    editions: Mapping[Path, Dataset] | None = None,
    redline: bool = False,
) -> list[Written]:
    """Write every chosen audience x format brief of every dataset; return what was written.

    `editions` maps a data file to its earlier edition: those briefs open with what changed since,
    and with `redline` each audience also gets `<audience>.redline.docx`, its DOCX with the changes
    from the earlier edition's DOCX as tracked changes.
    """
    styles = {(path, fmt): style_for(inputs.look, path, dataset, fmt, page_size) for path, dataset in inputs.datasets
              for fmt in formats}
    rendered: list[tuple[Path, bytes, list[str]]] = []
    docx: dict[tuple[Path, str], bytes] = {}
    laid = lay_out(inputs, audiences=audiences, page_size=page_size, editions=editions)
    for laid_out in laid:
        for fmt in formats:
            data, warnings = render(laid_out.document, fmt, styles[laid_out.path, fmt])
            rendered.append((out_dir / laid_out.dataset.id / f"{laid_out.profile.id}.{fmt}", data, warnings))
            if fmt == "docx":
                docx[laid_out.path, laid_out.profile.id] = data
    if redline:
        rendered += _redlines(inputs, out_dir, laid, editions or {}, page_size, docx)
    written = []
    for folder in {path.parent for path, _, _ in rendered}:
        sweep_temporary(folder)
    for path, data, warnings in rendered:
        target = inside(out_dir, str(path.relative_to(out_dir)))
        write_atomic(target, data)
        written.append(Written(target, len(data), tuple(warnings)))
    return written


@dataclass(frozen=True)
class LaidOut:
    """One audience's brief of one data file, laid out and ready for any writer."""

    path: Path
    dataset: Dataset
    profile: Profile
    document: Document
    earlier: Brief | None = None
    """The audience's brief of the earlier edition, when the run has one (`--since`): selected once, for changes and redline."""


def lay_out(inputs: Inputs, *, audiences: Sequence[str] = (), page_size: str | None = None,
            editions: Mapping[Path, Dataset] | None = None) -> list[LaidOut]:
    """Select and compose every chosen audience's brief of every data file: what `generate` and `serve` write."""
    chosen = _chosen_profiles(inputs.profiles, audiences)
    laid_out = []
    for path, dataset in inputs.datasets:
        for profile in chosen:
            old = (editions or {}).get(path)
            earlier = select(old, profile) if old is not None else None
            brief = with_changes(inputs.brief(path, profile), old, dataset, profile, earlier)
            document = inputs.documents.get((path, profile.id)) if brief.changes is None else None
            if document is None:
                document = compose(brief, inputs.renderer, template=profile.template, page_size=page_size)
            elif page_size is not None:  # the page size from the command line is the document's only other input
                document = dataclasses.replace(document, meta=dataclasses.replace(document.meta, page_size=page_size))
            laid_out.append(LaidOut(path, dataset, profile, document, earlier))
    return laid_out


def render(document: Document, fmt: str, style: Style) -> tuple[bytes, list[str]]:
    """Write `document` in format `fmt` with `style`; return its bytes and the writer's warnings (the one way briefs are written)."""
    buffer = io.BytesIO()
    warnings = get_writer(fmt)(document, buffer, style)
    return buffer.getvalue(), warnings


def _redlines(inputs: Inputs, out_dir: Path, laid: Sequence[LaidOut], editions: Mapping[Path, Dataset], page_size: str | None,
              written: Mapping[tuple[Path, str], bytes]) -> list[tuple[Path, bytes, list[str]]]:
    """Return each audience's redline DOCX: its new brief with the changes from its brief of the earlier edition tracked.

    The new DOCX is the one this run wrote (`written`, by data file and audience) when it wrote one: never rendered twice.
    """
    from .writers.docx.redline import redline

    made: list[tuple[Path, bytes, list[str]]] = []
    for laid_out in laid:
        path, dataset, profile = laid_out.path, laid_out.dataset, laid_out.profile
        old = editions.get(path)
        if old is None:
            continue
        style = style_for(inputs.look, path, dataset, "docx", page_size)
        before = render(compose(laid_out.earlier or select(old, profile), inputs.renderer, template=profile.template,
                                page_size=page_size), "docx", style)[0]
        after = written.get((path, profile.id)) or render(laid_out.document, "docx", style)[0]
        out = io.BytesIO()
        redline(before, after, out, dataset.as_of)
        made.append((out_dir / dataset.id / f"{profile.id}.redline.docx", out.getvalue(), []))
    return made


def with_changes(brief: Brief, old: Dataset | None, dataset: Dataset, profile: Profile, earlier: Brief | None = None) -> Brief:
    """Return `brief` listing what changed since `old` (unchanged when there is no old edition or the profile leaves it out);
    `earlier` is the profile's brief of `old` when the caller has it."""
    if old is None or not profile.show_changes:
        return brief
    from .editions import diff

    changes = diff(old, dataset, profile, brief, earlier)
    facts = {change.item for change in changes.items if change.kind != "removed"}
    takeaways = {change.text for change in changes.items if change.item == "takeaway" and change.kind == "added"}
    return dataclasses.replace(
        brief, changes=changes,
        facts=tuple(dataclasses.replace(view, changed=view.id in facts) for view in brief.facts),
        claims=tuple(dataclasses.replace(view, changed=view.id in facts) for view in brief.claims),
        takeaways=tuple(dataclasses.replace(view, changed=view.text in takeaways) for view in brief.takeaways),
    )


def _chosen_profiles(profiles: dict[str, Profile], audiences: Sequence[str]) -> list[Profile]:
    if not audiences:
        return [profiles[key] for key in sorted(profiles)]
    unknown = [a for a in audiences if a not in profiles]
    if unknown:
        raise ProfileError(f"unknown audience {unknown[0]!r}; known audiences: {', '.join(sorted(profiles))}")
    return [profiles[a] for a in dict.fromkeys(audiences)]
