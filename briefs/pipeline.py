"""The main job, read top to bottom: load, select, compose, write.

Everything that can fail on bad input (data, profiles, templates, theme, reference document,
logos) runs before the first byte is written, so an invalid input leaves no file behind.
"""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import config
from .brief import Brief
from .compose import compose
from .datafiles import read_data
from .doctree import Document
from .errors import DataError, InvalidInput, ProfileError, ThemeError, located
from .fitting import Fitted, fit, pages_in, template_for
from .languages import language_tag
from .models import Dataset, Profile
from .output import inside, sweep_temporary, write_atomic
from .pages import room_problem
from .rendering import Renderer
from .selection import select
from .suggest import known_or_closest
from .translations import Translation, earlier_in_language, in_language
from .writers import WRITERS, Logo, PageSize, Style, default_formats, get_writer

if TYPE_CHECKING:
    from .checking import EditionReader
    from .words import Words
    from .writers.theme import Theme

__all__ = ["Inputs", "LaidOut", "Look", "Written", "chosen_profiles", "fit_brief", "generate", "lay_out", "load_inputs", "render",
           "style_for", "with_changes"]

PAGE_MEASURE = "pdf"
"""The format whose layout measures a budget when only page-less formats are written."""


@dataclass(frozen=True)
class Look:
    """The styles of a run, loaded and checked: theme, reference document, data files' logos."""

    theme: Theme | None = None
    """None: the built-in theme."""
    reference_docx: Path | None = None
    """None: the built-in base document."""
    logos: dict[Path, Path] = field(default_factory=dict)
    """Data file -> its logo image (checked to exist and open)."""
    reference_pptx: Path | None = None
    """The first template folder's reference deck (checked); None: the built-in deck."""


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
    documents: Mapping[tuple[Path, str], tuple[Brief, Document]] = field(default_factory=dict)
    """(data file, audience) -> the brief `check` laid out and its document (no recipient or page size from the command line)."""
    editions: Mapping[Path, Dataset] = field(default_factory=dict)
    """Data file -> its earlier edition, when `load_inputs` was given a reader of them (`--since`)."""
    changed: Mapping[tuple[Path, str], tuple[Brief, Brief]] = field(default_factory=dict)
    """(data file, audience) -> its brief of the earlier edition and its brief listing the changes, for the data files in `editions`."""

    def brief(self, path: Path, profile: Profile) -> Brief:
        """Return the brief of the data file at `path` for `profile`, selected once per run."""
        dataset = dict(self.datasets)[path]
        return self.briefs.get((path, profile.id)) or select(dataset, profile, self.renderer.words(dataset.language))


@dataclass(frozen=True)
class Written:
    """One output file and what its writer warned about."""

    path: Path
    size: int
    warnings: tuple[str, ...] = field(default=())


def load_inputs(data_paths: Sequence[Path], template_dirs: Sequence[Path] = (), *, theme: Path | None = None,
                reference_docx: Path | None = None, recipients: bool = False, language: str | None = None,
                editions: EditionReader | None = None,
                earlier_translations: EarlierTranslations | None = None) -> Inputs:
    """Load and validate data files, profiles, the topic scheme, the template search path, the styles and the logos.

    The rules of `check` run first, over every input: any error raises InvalidInput listing them
    all, so a command that writes never writes what `check` rejects. With `recipients` (a batch, or
    a command that writes no brief), a template that needs a recipient is not an error here: the
    batch lays each template out with its real rows before writing. With `language`, each data
    file's edition in that language (see `translations`). `editions` reads the earlier
    editions (`--since`) once the inputs are sound, so the check lays out the briefs the run writes;
    with `language`, `earlier_translations` reads the translation each earlier edition had.
    """
    from .checking import check  # checking composes briefs, so it comes after this module

    report = check(data_paths, template_dirs, theme=theme, reference_docx=reference_docx,
                   recipient=None if recipients else "error", editions=editions).relative_to(Path.cwd())
    if report.errors or report.checked is None:
        lines = [finding.text() for finding in report.findings if finding.severity == "error"]
        raise InvalidInput(lines, f"{report.summary()}: nothing written; fix the errors above and run again")
    # What the check loaded, selected and laid out is what the run writes: each file is read once.
    checked = report.checked
    logos = {path: logo for path, dataset in checked.datasets if (logo := _logo(path, dataset)) is not None}
    look = Look(_theme(theme), _reference(reference_docx), logos, config.reference_deck(template_dirs))  # (checked by `check`)
    inputs = Inputs(checked.datasets, dict(checked.profiles), checked.renderer, look, report.warnings, checked.briefs,
                    checked.documents, checked.editions, checked.changed)
    return _in_language(inputs, language, earlier_translations) if language else inputs


EarlierTranslations = Callable[[Path, Dataset, str], Translation | None]
"""(data file, its earlier edition, language tag) -> the translation that edition had, or None."""


def _in_language(inputs: Inputs, language: str, earlier_translations: EarlierTranslations | None = None) -> Inputs:
    """Return `inputs` with each dataset, and each earlier edition (`--since`), in `language`: its briefs are selected and
    laid out anew. The earlier edition in the same language, so that what changed compares like with like."""
    datasets = tuple((path, in_language(path, dataset, language)[0]) for path, dataset in inputs.datasets)
    tag = language_tag(language)
    editions = {path: earlier_in_language(path, dataset, old, language,
                                          earlier_translations(path, old, tag) if earlier_translations else None)
                for path, dataset in inputs.datasets if (old := inputs.editions.get(path)) is not None}
    return dataclasses.replace(inputs, datasets=datasets, editions=editions, briefs={}, documents={}, changed={})


def _theme(path: Path | None) -> Theme | None:
    if path is None:
        return None
    from .theme import load_theme  # imported only when a theme is named

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
    return Style(size, theme, look.reference_docx, logo, look.reference_pptx)


def generate(
    inputs: Inputs,
    out_dir: Path,
    *,
    audiences: Sequence[str] = (),
    formats: Sequence[str] | None = None,
    page_size: str | None = None,
    editions: Mapping[Path, Dataset] | None = None,
    redline: bool = False,
    max_pages: int | None = None,
) -> list[Written]:
    """Write every chosen audience x format brief of every dataset (`formats` None: the default ones); return what was written.

    `editions` maps a data file to its earlier edition: those briefs open with what changed since,
    and with `redline` each audience also gets `<audience>.redline.<fmt>` in every format that can
    track changes (a row of `WRITERS` with a redline: DOCX), with the changes from the earlier edition's brief.
    `max_pages` (else each profile's `max_pages`) cuts every brief to fit that many pages in every format
    written (`fitting`).
    """
    formats = default_formats() if formats is None else formats
    styles = {(path, fmt): style_for(inputs.look, path, dataset, fmt, page_size) for path, dataset in inputs.datasets
              for fmt in formats}
    rendered: list[tuple[Path, bytes, list[str]]] = []
    made: dict[tuple[Path, str, str], bytes] = {}
    laid = lay_out(inputs, audiences=audiences, page_size=page_size, editions=editions, max_pages=max_pages, formats=formats)
    for laid_out in laid:
        for fmt in formats:
            data, warnings = render(laid_out.document, fmt, styles[laid_out.path, fmt])
            rendered.append((out_dir / laid_out.dataset.id / f"{laid_out.profile.id}.{fmt}", data, warnings))
            made[laid_out.path, laid_out.profile.id, fmt] = data
    if redline:
        rendered += _redlines(inputs, out_dir, laid, editions or {}, page_size, made)
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
    brief: Brief | None = None
    """The brief the document lays out (cut to its page budget when it has one)."""
    layouts: int = 0
    """How many layouts fitting it to its page budget measured (0: it had none)."""


def lay_out(inputs: Inputs, *, audiences: Sequence[str] = (), page_size: str | None = None,
            editions: Mapping[Path, Dataset] | None = None, max_pages: int | None = None,
            formats: Sequence[str] = ()) -> list[LaidOut]:
    """Select and compose every chosen audience's brief of every data file: what `generate` and `serve` write.

    A brief with a page budget (`max_pages`, else its profile's) is cut to fit it in each of `formats` (default: the
    default formats) that has pages.
    """
    formats = formats or default_formats()
    chosen = chosen_profiles(inputs.profiles, audiences)
    laid_out = []
    for path, dataset in inputs.datasets:
        for profile in chosen:
            old = (editions or {}).get(path)
            earlier, brief = _changed(inputs, path, dataset, profile, old)
            budget = max_pages or profile.max_pages
            if budget is not None:
                fitted = fit_brief(inputs, path, dataset, profile, budget, formats, page_size, old, earlier)
                laid_out.append(LaidOut(path, dataset, profile, fitted.document, earlier, fitted.brief, fitted.layouts))
                continue
            checked = inputs.documents.get((path, profile.id))
            if checked is None or checked[0] is not brief:  # not the brief the check laid out
                document = compose(brief, inputs.renderer, template=profile.template, page_size=page_size)
            else:  # the page size from the command line is the document's only other input
                document = checked[1] if page_size is None else dataclasses.replace(
                    checked[1], meta=dataclasses.replace(checked[1].meta, page_size=page_size))
            laid_out.append(LaidOut(path, dataset, profile, document, earlier, brief))
    return laid_out


def _changed(inputs: Inputs, path: Path, dataset: Dataset, profile: Profile, old: Dataset | None) -> tuple[Brief | None, Brief]:
    """Return the profile's brief of the earlier edition `old` (None without one) and its brief listing the changes since.

    Both are the check's when it read that same edition (`load_inputs(editions=...)`), so nothing is selected twice.
    """
    if old is None:
        return None, inputs.brief(path, profile)
    if old is inputs.editions.get(path) and (path, profile.id) in inputs.changed:
        return inputs.changed[path, profile.id]
    earlier = select(old, profile, inputs.renderer.words(old.language))
    return earlier, with_changes(inputs.brief(path, profile), old, dataset, profile, earlier, inputs.renderer.words(dataset.language))


def _measure(fmt: str, style: Style) -> Callable[[Document], int]:
    """Return how the writer of `fmt` counts a document's pages under `style`."""
    count = WRITERS[fmt].measure
    assert count is not None, f"{fmt} has no pages"
    return lambda document: count(document, style)


def fit_brief(inputs: Inputs, path: Path, dataset: Dataset, profile: Profile, budget: int, formats: Sequence[str],
              page_size: str | None, old: Dataset | None = None, earlier: Brief | None = None,
              recipient: Mapping[str, str] | None = None) -> Fitted:
    """Return the brief of one audience cut to `budget` pages in every one of `formats` that has pages.

    `old` and `earlier` are as for `with_changes`; `recipient` is the batch row its pages are measured with.
    """
    words = inputs.renderer.words(dataset.language)
    paged = [fmt for fmt in dict.fromkeys(formats) if WRITERS[fmt].measure is not None] or [PAGE_MEASURE]  # HTML prints as the PDF
    measures = [_measure(fmt, style_for(inputs.look, path, dataset, fmt, page_size)) for fmt in paged]
    return fit(dataset, profile, budget,
               lambda omit: with_changes(select(dataset, profile, words, omit), old, dataset, profile, earlier, words),
               lambda brief: compose(brief, inputs.renderer, template=template_for(profile, budget), recipient=recipient,
                                     page_size=page_size),
               pages_in(measures))


def render(document: Document, fmt: str, style: Style) -> tuple[bytes, list[str]]:
    """Write `document` in format `fmt` with `style`; return its bytes and the writer's warnings (the one way briefs are written)."""
    buffer = io.BytesIO()
    warnings = get_writer(fmt)(document, buffer, style)
    return buffer.getvalue(), warnings


def _redlines(inputs: Inputs, out_dir: Path, laid: Sequence[LaidOut], editions: Mapping[Path, Dataset], page_size: str | None,
              written: Mapping[tuple[Path, str, str], bytes]) -> list[tuple[Path, bytes, list[str]]]:
    """Return each audience's redlines: its new brief with the changes from its brief of the earlier edition tracked.

    The new brief is the one this run wrote (`written`, by data file, audience and format) when it wrote one: never rendered twice.
    """
    made: list[tuple[Path, bytes, list[str]]] = []
    for fmt, spec in WRITERS.items():
        if spec.redline is None:
            continue
        redline = spec.redline()
        for laid_out in laid:
            path, dataset, profile = laid_out.path, laid_out.dataset, laid_out.profile
            old = editions.get(path)
            if old is None:
                continue
            style = style_for(inputs.look, path, dataset, fmt, page_size)
            earlier = laid_out.earlier or select(old, profile, inputs.renderer.words(old.language))
            before = render(compose(earlier, inputs.renderer, template=profile.template, page_size=page_size), fmt, style)[0]
            after = written.get((path, profile.id, fmt)) or render(laid_out.document, fmt, style)[0]
            out = io.BytesIO()
            redline(before, after, out, dataset.as_of)
            made.append((out_dir / dataset.id / f"{profile.id}.redline.{fmt}", out.getvalue(), []))
    return made


def with_changes(brief: Brief, old: Dataset | None, dataset: Dataset, profile: Profile, earlier: Brief | None = None,
                 words: Words | None = None) -> Brief:
    """Return `brief` listing what changed since `old` (unchanged when there is no old edition or the profile leaves it out);
    `earlier` is the profile's brief of `old` when the caller has it; `words` those of the run (None: the built-in ones)."""
    if old is None or not profile.show_changes:
        return brief
    from .editions import diff

    changes = diff(old, dataset, profile, brief, earlier, words)
    facts = {change.item for change in changes.items if change.kind != "removed"}
    takeaways = {change.text for change in changes.items if change.item == "takeaway" and change.kind == "added"}
    return dataclasses.replace(
        brief, changes=changes,
        facts=tuple(dataclasses.replace(view, changed=view.id in facts) for view in brief.facts),
        claims=tuple(dataclasses.replace(view, changed=view.id in facts) for view in brief.claims),
        takeaways=tuple(dataclasses.replace(view, changed=view.text in takeaways) for view in brief.takeaways),
    )


def chosen_profiles(profiles: Mapping[str, Profile], audiences: Sequence[str]) -> list[Profile]:
    """Return the profiles of `audiences` in the order given (all, by id, when empty); ProfileError naming an unknown one."""
    if not audiences:
        return [profiles[key] for key in sorted(profiles)]
    unknown = [a for a in audiences if a not in profiles]
    if unknown:
        raise ProfileError(f"unknown audience {unknown[0]!r}; {known_or_closest(unknown[0], profiles, 'audiences', len(profiles))}")
    return [profiles[a] for a in dict.fromkeys(audiences)]
