"""`briefs check`: validate and lint everything a run reads, collecting every finding.

    findings.py   Finding, Report, reading a file for checking     data.py     the checks of a data file
    layout.py     profiles, the topic scheme, templates and styles
    words.py      the words briefs adds, in each data file's language

Unlike loading, which stops at the first problem, checking reads every file itself and keeps going,
so one run lists everything to fix. Each finding names the file and line (from the YAML), a
severity and a hint:

    errors     the file does not load, unknown source or topic references, duplicate ids, a
               takeaway for an audience with no profile, a profile weighting an unknown topic,
               a template that fails to lay out a brief
    warnings   content a reader may be misled by or an author may have forgotten: unsourced or
               weakly sourced claims, sources never cited, conflicting quantities, stale facts,
               topics and facts no audience can reach, profiles that select nothing

Nothing is printed here: `check` returns a Report and the command prints it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..brief import Brief
from ..config import reference_deck
from ..loading import with_vocabulary
from ..locations import profile_paths
from ..models import Dataset, Profile
from ..rendering import DEFAULT_TEMPLATE, Renderer
from ..selection import select
from ..topics import Scheme, scheme_path
from .data import data_findings, reach_findings, reference_findings, shared_id_findings
from .findings import (
    DEFAULT_MAX_AGE_DAYS,
    Checked,
    Finding,
    Loaded,
    Report,
    Severity,
    first_of_each_id,
    line_order,
    load_file,
    located_finding,
)
from .labelled import label_findings
from .layout import (
    deck_findings,
    interest_findings,
    mail_template_findings,
    profile_findings,
    raw_interests,
    read_scheme,
    style_findings,
    template_findings,
)
from .translations import brief_languages, profile_language_findings, translation_findings
from .words import word_findings, words_of

__all__ = ["DEFAULT_MAX_AGE_DAYS", "Checked", "EditionReader", "Finding", "Report", "check", "located_finding"]

EditionReader = Callable[[Sequence[tuple[Path, Dataset]], Scheme], Mapping[Path, Dataset]]
"""Read the earlier edition of each data file (`--since`); raises a BriefsError naming the revision or file."""


def check(
    data_paths: Sequence[Path],
    template_dirs: Sequence[Path] = (),
    *,
    theme: Path | None = None,
    reference_docx: Path | None = None,
    max_age_days: int = DEFAULT_MAX_AGE_DAYS,
    recipient: Severity | None = "warning",
    editions: EditionReader | None = None,
) -> Report:
    """Check everything a run reads: the topic scheme, data files, the profiles and templates on the
    template search path, the theme, the reference document, and the fonts and images they name.

    `recipient` is the severity of a template that needs a batch's `recipient` (None: not checked
    here, as a batch lays each template out with its real rows before writing). With `editions`, sound
    inputs' briefs are laid out listing their changes since the earlier editions it reads, as the run writes them.
    """
    scheme_file, scheme = read_scheme(scheme_path(template_dirs))
    datasets = [load_file(path, Dataset, "data file") for path in data_paths]
    profile_files = [load_file(path, Profile, "profile") for path in first_of_each_id(profile_paths(template_dirs))]
    profiles = [(item, item.model) for item in profile_files if item.model is not None]
    loaded: list[Loaded[Any]] = [*datasets, *profile_files, scheme_file]
    findings = [finding for item in loaded for finding in item.findings]
    findings += shared_id_findings(datasets)
    sound: list[tuple[Path, Dataset]] = []
    briefs: dict[tuple[Path, str], Brief] = {}
    renderer = Renderer(template_dirs)
    audiences = {p.path.stem for p in profile_files}
    for item in datasets:
        # References are checked on the file as read, so they are reported beside invalid fields.
        references = list(reference_findings(item, scheme, audiences)) if item.doc is not None else []
        findings += references
        if item.model is not None:
            problems = references + list(data_findings(item, item.model, scheme, audiences, max_age_days))
            findings += problems[len(references):]
            # With a broken scheme, topics cannot be resolved: the data is checked, not laid out.
            if not any(f.severity == "error" for f in problems) and not scheme_file.findings:
                full = with_vocabulary(item.model, scheme)
                words, broken = words_of(renderer, full.language)
                findings += broken
                if words is None:
                    continue
                sound.append((item.path, full))
                selected = {profile.id: select(full, profile, words) for _, profile in profiles}  # once per brief, for every check
                briefs.update(((item.path, audience), brief) for audience, brief in selected.items())
                findings += reach_findings(item, full, profiles, selected)
                findings += translation_findings(item.path, full)  # with the scheme's topics, which a translation may name
    topics: set[str] | None = None
    # Topics are known only when the scheme and every data file loaded; otherwise a weight could be for a broken file.
    if not scheme_file.findings and all(d.model for d in datasets):
        topics = set(scheme.topics) | {topic for item in datasets if item.model for topic in item.model.topics}
    languages = brief_languages(sound)
    for profile_file, profile in profiles:
        findings += profile_findings(profile_file, profile, topics)
        findings += profile_language_findings(profile_file, profile, languages)
    for profile_file in profile_files:
        if profile_file.model is None and topics is not None:  # a profile that failed validation: its topics still count
            findings += interest_findings(profile_file, raw_interests(profile_file), topics)
    names = sorted({p.template or DEFAULT_TEMPLATE for _, p in profiles} or {DEFAULT_TEMPLATE})
    findings += word_findings(renderer, sound, {item.path: item.doc.line_of(("language",)) for item in datasets if item.doc})
    sound_so_far = not any(finding.severity == "error" for finding in findings)
    earlier, changed = (_changes(editions(sound, scheme), sound, profiles, briefs, renderer) if editions and sound_so_far
                        else ({}, {}))
    laid = {key: changed[key][1] if key in changed else brief for key, brief in briefs.items()}
    found, documents = template_findings(renderer, names, [(path, laid) for path, _ in sound], profiles, recipient)
    findings += found
    findings += label_findings(renderer, documents, briefs, {profile.id: profile.template for _, profile in profiles})
    findings += mail_template_findings(renderer)
    findings += style_findings(theme, reference_docx)
    findings += deck_findings(reference_deck(template_dirs))
    # Grouped by file in the order checked (data, profiles, scheme, templates, styles), then by line.
    order = {str(item.path): index for index, item in enumerate(loaded)}
    checked = Checked(tuple(sound), {profile.id: profile for _, profile in profiles}, renderer, briefs,
                      {key: (laid[key], document) for key, document in documents.items()}, earlier, changed)
    report = Report(tuple(findings), len(data_paths), len(profile_files), len(names), checked=checked)
    for item in datasets:
        report = report.acknowledging(item)
    in_order = sorted(report.findings, key=lambda f: (order.get(f.file, len(order)), f.file, line_order(f.line)))
    return replace(report, findings=tuple(in_order))


def _changes(earlier: Mapping[Path, Dataset], sound: Sequence[tuple[Path, Dataset]], profiles: Sequence[tuple[Any, Profile]],
             briefs: Mapping[tuple[Path, str], Brief], renderer: Renderer,
             ) -> tuple[dict[Path, Dataset], dict[tuple[Path, str], tuple[Brief, Brief]]]:
    """Return the earlier editions, and each brief of theirs with the brief listing the changes since (each selected once),
    in the run's words (a templates folder's overrides included), as the run's own briefs are."""
    from ..pipeline import with_changes  # the pipeline runs the check first

    changed = {}
    for path, dataset in sound:
        old = earlier.get(path)
        if old is None:
            continue
        for _, profile in profiles:
            before = select(old, profile, renderer.words(old.language))
            changed[path, profile.id] = (before, with_changes(briefs[path, profile.id], old, dataset, profile, before,
                                                              renderer.words(dataset.language)))
    return dict(earlier), changed
