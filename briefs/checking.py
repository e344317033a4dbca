"""`briefs check`: validate and lint data files, profiles and templates, collecting every finding.

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

import datetime as dt
import difflib
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Generic, Literal, TypeVar

import jinja2
from pydantic import BaseModel, ValidationError

from .brief import Brief
from .citing import marker_ids
from .compose import compose
from .config import check_image
from .coverage import describe, uncovered_text
from .errors import TemplateError, ThemeError, one_line
from .evidence import confidence
from .invocation import program
from .loading import raw_topics, reference_problems, with_vocabulary
from .locations import profile_paths
from .models import Dataset, Profile, Topic
from .rendering import DEFAULT_TEMPLATE, Renderer
from .selection import select
from .topics import Scheme, parse_scheme, scheme_path, vocabulary
from .validation import Problem, field_name, validation_problems
from .yamlsource import Located, YamlError, read_yaml

__all__ = ["DEFAULT_MAX_AGE_DAYS", "Finding", "Report", "check", "located_finding"]

DEFAULT_MAX_AGE_DAYS = 365
"""A fact whose `date` is older than this, counted back from the data file's `as_of`, is stale."""

Severity = Literal["error", "warning"]
M = TypeVar("M", bound=BaseModel)
_WEAK_GRADES = frozenset("DEF")


@dataclass(frozen=True)
class Finding:
    """One problem, where it is, and what to do about it."""

    file: str
    line: int | None
    """1-based line in `file`, None when unknown."""
    severity: Severity
    code: str
    """Short stable name of the kind of problem, for CI filters (e.g. `unknown-source`)."""
    message: str
    hint: str

    def text(self) -> str:
        """Return `file:line: severity: message (hint: ...)`."""
        where = f"{self.file}:{self.line}" if self.line else self.file
        return one_line(f"{where}: {self.severity}: {self.message} (hint: {self.hint})")


@dataclass(frozen=True)
class Report:
    """Every finding of one check, and how much was checked."""

    findings: tuple[Finding, ...]
    data_files: int
    profiles: int
    templates: int

    @property
    def errors(self) -> int:
        return sum(f.severity == "error" for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f.severity == "warning" for f in self.findings)

    def relative_to(self, cwd: Path) -> Report:
        """Return the report with each file named relative to `cwd` when inside it, as editors and terminals expect."""
        return replace(self, findings=tuple(replace(f, file=_relative(f.file, cwd)) for f in self.findings))

    def exit_code(self, *, strict: bool = False) -> int:
        """Return 1 when there are errors (or, with `strict`, warnings), else 0."""
        return 1 if self.errors or (strict and self.warnings) else 0

    def summary(self) -> str:
        """Return e.g. `check: 0 errors, 5 warnings in 1 data file, 4 profiles, 1 template`."""
        counts = ", ".join(
            _plural(n, word)
            for n, word in ((self.data_files, "data file"), (self.profiles, "profile"), (self.templates, "template"))
        )
        return f"check: {_plural(self.errors, 'error')}, {_plural(self.warnings, 'warning')} in {counts}"

    def as_json(self) -> dict[str, Any]:
        """Return the report as plain JSON values: {"findings": [...], "summary": {...}}."""
        return {
            "findings": [
                {"file": f.file, "line": f.line, "severity": f.severity, "code": f.code, "message": f.message, "hint": f.hint}
                for f in self.findings
            ],
            "summary": {
                "errors": self.errors,
                "warnings": self.warnings,
                "data_files": self.data_files,
                "profiles": self.profiles,
                "templates": self.templates,
            },
        }


def _relative(file: str, cwd: Path) -> str:
    try:
        return str(Path(file).resolve().relative_to(cwd.resolve()))
    except (ValueError, OSError):
        return file


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


@dataclass
class _Loaded(Generic[M]):
    """A file read for checking: its lines, and its model when it validated."""

    path: Path
    doc: Located | None
    model: M | None
    findings: list[Finding] = field(default_factory=list)

    def at(self, where: Sequence[str | int], severity: Severity, code: str, message: str, hint: str) -> Finding:
        line = self.doc.line_of(tuple(where)) if self.doc else None
        return Finding(str(self.path), line, severity, code, message, hint)


def check(
    data_paths: Sequence[Path],
    template_dirs: Sequence[Path] = (),
    *,
    pdf_theme: Path | None = None,
    reference_docx: Path | None = None,
    max_age_days: int = DEFAULT_MAX_AGE_DAYS,
    recipient: Severity | None = "warning",
) -> Report:
    """Check everything a run reads: the topic scheme, data files, the profiles and templates on the
    template search path, the PDF theme, the reference document, and the fonts and images they name.

    `recipient` is the severity of a template that needs a batch's `recipient` (None: not checked
    here, as a batch lays each template out with its real rows before writing).
    """
    scheme_file, scheme = _scheme(scheme_path(template_dirs))
    datasets = [_load(path, Dataset, "data file") for path in data_paths]
    profile_files = [_load(path, Profile, "profile") for path in _first_of_each_id(profile_paths(template_dirs))]
    profiles = [(item, item.model) for item in profile_files if item.model is not None]
    loaded: list[_Loaded[Any]] = [*datasets, *profile_files, scheme_file]
    findings = [finding for item in loaded for finding in item.findings]
    sound: list[Dataset] = []
    audiences = {p.path.stem for p in profile_files}
    for item in datasets:
        # References are checked on the file as read, so they are reported beside invalid fields.
        references = list(_reference_findings(item, scheme, audiences)) if item.doc is not None else []
        findings += references
        if item.model is not None:
            problems = references + list(_data_findings(item, item.model, scheme, audiences, max_age_days))
            findings += problems[len(references):]
            # With a broken scheme, topics cannot be resolved: the data is checked, not laid out.
            if not any(f.severity == "error" for f in problems) and not scheme_file.findings:
                full = with_vocabulary(item.model, scheme)
                sound.append(full)
                findings += _reach_findings(item, full, profiles)
    topics: set[str] | None = None
    # Topics are known only when the scheme and every data file loaded; otherwise a weight could be for a broken file.
    if not scheme_file.findings and all(d.model for d in datasets):
        topics = set(scheme.topics) | {topic for item in datasets if item.model for topic in item.model.topics}
    for profile_file, profile in profiles:
        findings += _profile_findings(profile_file, profile, topics)
    for profile_file in profile_files:
        if profile_file.model is None and topics is not None:  # a profile that failed validation: its topics still count
            findings += _interest_findings(profile_file, _raw_interests(profile_file), topics)
    names = sorted({p.template or DEFAULT_TEMPLATE for _, p in profiles} or {DEFAULT_TEMPLATE})
    renderer = Renderer(template_dirs)
    findings += _template_findings(renderer, names, sound, profiles, recipient)
    findings += _mail_template_findings(renderer)
    findings += _style_findings(pdf_theme, reference_docx)
    # Grouped by file in the order checked (data, profiles, scheme, templates, styles), then by line.
    order = {str(item.path): index for index, item in enumerate(loaded)}
    findings.sort(key=lambda f: (order.get(f.file, len(order)), f.file, f.line or 0))
    return Report(tuple(findings), len(data_paths), len(profile_files), len(names))


def _scheme(path: Path) -> tuple[_Loaded[Any], Scheme]:
    """Read the topic scheme; its problems are findings, and an unusable scheme reads as empty."""
    try:
        doc = read_yaml(path)
    except YamlError as exc:
        finding = Finding(str(path), exc.line, "error", "invalid-yaml", exc.message, "fix the YAML at this line")
        return _Loaded(path, None, None, [finding]), Scheme(path, {})
    item: _Loaded[Any] = _Loaded(path, doc, None)
    if not isinstance(doc.value, dict):
        item.findings.append(item.at((), "error", "invalid", "expected a mapping of topic ids to topics at the top level",
                                     "e.g. `markets: {label: Markets and prices}`"))
        return item, Scheme(path, {})
    scheme, problems = parse_scheme(doc, path)
    for problem in problems:
        item.findings.append(item.at(problem.path, "error", problem.code, f"{field_name(problem.path)}: {problem.message}",
                                     "each topic is `id: {label: ..., broader: [scheme ids]}` or `id: Label`"))
    return item, scheme


def _style_findings(pdf_theme: Path | None, reference_docx: Path | None) -> list[Finding]:
    """Check the PDF theme (every key, then its fonts and logo) and the reference document."""
    findings: list[Finding] = []
    if pdf_theme is not None:
        from .theme import ThemeFile, load_theme

        item = _load(pdf_theme, ThemeFile, "PDF theme", empty_ok=True)
        findings += item.findings
        if not item.findings:
            try:
                load_theme(pdf_theme)
            except ThemeError as exc:
                findings.append(located_finding(exc, "theme", _schema_hint(ThemeFile, "PDF theme")))
    if reference_docx is not None:
        from .writers.docx import check_reference

        try:
            check_reference(reference_docx)
        except ThemeError as exc:
            findings.append(located_finding(exc, "reference-docx", "save the reference document from Word or LibreOffice as .docx"))
    return findings


def located_finding(exc: Exception, code: str, hint: str) -> Finding:
    """Turn an error message `file:line: message` (line optional) into a finding."""
    match = _LOCATED.match(str(exc))
    if match:
        return Finding(match["file"], int(match["line"]), "error", code, match["message"], hint)
    file, _, message = str(exc).partition(": ")
    return Finding(file, None, "error", code, message or file, hint)


def _first_of_each_id(paths: Iterable[Path]) -> list[Path]:
    """Keep the first file of each profile id, as loading does (earlier folders take precedence)."""
    first: dict[str, Path] = {}
    for path in paths:
        first.setdefault(path.stem, path)
    return list(first.values())


def _load(path: Path, model: type[M], what: str, *, empty_ok: bool = False) -> _Loaded[M]:
    """Read and validate one file, turning every problem into an error finding instead of raising."""
    try:
        doc = read_yaml(path)
    except YamlError as exc:
        hint = "fix the YAML at this line" if exc.line else f"check that the {what} exists and is readable"
        return _Loaded(path, None, None, [Finding(str(path), exc.line, "error", "invalid-yaml", exc.message, hint)])
    if doc.value is None and empty_ok:
        doc = Located({}, doc.lines)
    loaded: _Loaded[M] = _Loaded(path, doc, None)
    if not isinstance(doc.value, dict):
        loaded.findings.append(loaded.at((), "error", "invalid", "expected a mapping of keys to values at the top level",
                                         f"a {what} is a YAML mapping (key: value lines)"))
        return loaded
    try:
        value = model.model_validate(doc.value)
    except ValidationError as exc:
        hint = _schema_hint(model, what)
        for problem in validation_problems(exc, doc.value):
            loaded.findings.append(loaded.at(problem.path, "error", "invalid", f"{field_name(problem.path)}: {problem.message}", hint))
        return loaded
    if isinstance(value, Profile) and value.id != path.stem:
        loaded.findings.append(loaded.at(("id",), "error", "invalid", f"id: id {value.id!r} must match the file name {path.stem!r}",
                                         "rename the file or change the id"))
        return loaded
    return _Loaded(path, doc, value, loaded.findings)


# --- Data files -------------------------------------------------------------------------------


def _schema_hint(model: type[BaseModel], what: str) -> str:
    kinds = {Dataset: "data", Profile: "profile"}
    if model in kinds:
        return f"`{program()} schema --kind {kinds[model]}` lists the fields of a {what}, their types and what each means"
    if what == "PDF theme":
        return (f"the comments of the built-in theme file explain every key (`{program()} init DIR` copies it to "
                "DIR/styles/pdf-theme.yaml); margins are in cm, sizes in points, colours \"#rrggbb\"")
    return f"the README lists the keys of a {what}"


def _reference_findings(item: _Loaded[Dataset], scheme: Scheme, audiences: set[str]) -> Iterator[Finding]:
    """Yield the reference errors of one data file as read: sources, topics, `broader`, duplicate ids, audiences."""
    assert item.doc is not None
    value = item.doc.value if isinstance(item.doc.value, dict) else {}
    every = vocabulary(scheme, raw_topics(value))
    source_ids = [s.get("id") for s in value.get("sources") or [] if isinstance(s, dict)] if isinstance(value.get("sources"), list) else []
    for problem in reference_problems(value, scheme):
        if problem.code == "unknown-topic" and not scheme.topics:
            continue  # the scheme itself is broken: reported there, not as dozens of unknown topics here
        message = f"{field_name(problem.path)}: {problem.message}"
        yield item.at(problem.path, "error", problem.code, message, _reference_hint(item, problem, source_ids, every))
    takeaways = value.get("takeaways")
    for index, takeaway in enumerate(takeaways if isinstance(takeaways, list) else []):
        audience = takeaway.get("audience") if isinstance(takeaway, dict) else None
        if isinstance(audience, str) and audience not in audiences:
            yield item.at(("takeaways", index, "audience"), "error", "unknown-audience",
                          f"takeaways[{index}].audience: no profile for audience {audience!r}",
                          _known("add a profile <id>.yaml to the audiences/ folder of a templates folder (--templates DIR; "
                                 f"`{program()} init DIR` starts one), or fix the id", audience, audiences))


def _data_findings(item: _Loaded[Dataset], data: Dataset, scheme: Scheme, audiences: set[str], max_age_days: int) -> Iterator[Finding]:
    """Yield the content warnings (and logo errors) of one valid data file."""
    every = vocabulary(scheme, data.topics)
    yield from _logo_findings(item, data)
    for index, fact in enumerate(data.facts):
        for audience in fact.audiences:
            if audience not in audiences:
                yield item.at(("facts", index, "audiences", audience), "warning", "unknown-audience",
                              f"facts[{index}].audiences: phrasing for {audience!r}, an audience with no profile, is never shown",
                              _known("fix the audience id", audience, audiences))
    yield from _sourcing_findings(item, data)
    yield from _glyph_findings(item)
    yield from _conflict_findings(item, data)
    yield from _stale_findings(item, data, max_age_days)
    yield from _unused_topics(item, data, every)


def _unused_topics(item: _Loaded[Dataset], data: Dataset, every: Mapping[str, Topic]) -> Iterator[Finding]:
    """Warn about the file's own topics that no fact, FAQ or figure uses, directly or as a broader topic."""
    tagged = {t for group in (data.facts, data.faqs, data.figures) for entry in group for t in entry.topics}
    used = set(tagged)
    for topic in tagged:
        used.update(t for t in _broader_closure(topic, every))
    for topic in data.topics:
        if topic not in used:
            yield item.at(("topics", topic), "warning", "unused-topic", f"topics.{topic}: no fact, FAQ or figure uses topic {topic!r}",
                          "tag facts with it, or remove it")


def _broader_closure(topic: str, every: Mapping[str, Topic]) -> set[str]:
    seen: set[str] = set()
    stack = list(every[topic].broader) if topic in every else []
    while stack:
        current = stack.pop()
        if current not in seen:
            seen.add(current)
            stack += every[current].broader if current in every else ()
    return seen


def _logo_findings(item: _Loaded[Dataset], data: Dataset) -> Iterator[Finding]:
    if data.logo is None:
        return
    image = item.path.parent / data.logo
    problem = check_image(image) if image.is_file() else (
        f"no image file at {image} (the path is relative to the data file)")
    if problem:
        yield item.at(("logo",), "error", "logo", f"logo: {problem}", "put a PNG or JPEG file there, or fix the path")


def _glyph_findings(item: _Loaded[Dataset]) -> Iterator[Finding]:
    """Warn about text no PDF font can print (it would show as a replacement mark)."""
    if item.doc is None:
        return
    for where, chars in uncovered_text(item.doc.value):
        yield item.at(where, "warning", "no-glyph", f"{field_name(where)}: no PDF font can print {describe(chars)}",
                      "the PDF shows a replacement mark there: rephrase, or install a font that has it (README, Fonts)")


def _reference_hint(item: _Loaded[Dataset], problem: Problem, source_ids: Sequence[object], every: Mapping[str, Topic]) -> str:
    if problem.code == "duplicate-id":
        return "give each item its own id"
    if problem.code == "topic-cycle":
        return "a topic's broader topics must lead up to the scheme without coming back to it"
    named = re.search(r"unknown (?:broader )?(?:source|topic) '([^']*)'", problem.message)
    wrong = named.group(1) if named else str(_value_at(item.doc.value if item.doc else None, problem.path))
    if problem.code == "unknown-source":
        return _known("add it under `sources:` or fix the id", wrong, [s for s in source_ids if isinstance(s, str)])
    return _known("use a topic of the scheme, or declare it under `topics:` with the scheme topics it belongs to "
                  "(`broader:`)", wrong, list(every))


def _value_at(value: Any, path: Sequence[str | int]) -> Any:
    for part in path:
        value = value[part]
    return value


def _known(advice: str, wrong: str, known: Iterable[str]) -> str:
    """Return advice, with the closest known ids when the wrong one looks like a typo."""
    known = sorted(known)
    close = difflib.get_close_matches(wrong, known, n=3)
    if close:
        return f"{advice}; did you mean {' or '.join(repr(c) for c in close)}?"
    return f"{advice}; known: {', '.join(known[:8])}{', ...' if len(known) > 8 else ''}" if known else advice


def _claims(data: Dataset) -> Iterator[tuple[tuple[str | int, ...], str | None, tuple[str, ...], tuple[str, ...], str | None]]:
    """Yield (path, status, supporting source ids, corrected source ids, note) of every item that can cite sources."""
    for index, fact in enumerate(data.facts):
        yield ("facts", index), fact.status, fact.sources, fact.corrects, fact.note
    for index, takeaway in enumerate(data.takeaways):
        yield ("takeaways", index), takeaway.status, takeaway.sources, takeaway.corrects, takeaway.note
    for index, faq in enumerate(data.faqs):
        yield ("faqs", index), faq.status, faq.sources, faq.corrects, faq.note
    for index, figure in enumerate(data.figures):
        yield ("figures", index), figure.status, (figure.source,), (), figure.note


def _sourcing_findings(item: _Loaded[Dataset], data: Dataset) -> Iterator[Finding]:
    """Warn where the evidence and the status word disagree, and about sources nobody cites."""
    grades = {source.id: source.reliability for source in data.sources}
    cited: set[str] = set()
    for where, status, sources, corrects, note in _claims(data):
        cited.update(sources)
        cited.update(corrects)
        name = field_name(where)
        judged = confidence(status, sources, grades)
        if not sources:
            yield item.at(where, "warning", "unsourced", f"{name}: no sources, so briefs label it UNVERIFIED",
                          "list the ids of the sources that support it under `sources:`")
        elif judged.weak:
            weak = ", ".join(f"{s} ({grades.get(s, '?')})" for s in sources)
            said = f"status is {status!r}" if status else "it has no status"
            message = f"{name}: {said} but its only sources are graded E or F ({weak}), so briefs label it UNVERIFIED"
            yield item.at((*where, "sources"), "warning", "labelled-unverified", message,
                          "cite a source graded A–D that supports it, or set its status to 'unverified' and say why in `note`")
        elif status == "confirmed" and all(grades.get(s, "A") in _WEAK_GRADES for s in sources):
            weak = ", ".join(f"{s} ({grades[s]})" for s in sources)
            message = f"{name}: status is 'confirmed' but its only sources are graded D–F: {weak}"
            yield item.at((*where, "status"), "warning", "weak-sources", message,
                          "cite a source graded A–C; or set the status to 'reported' or 'unverified', which briefs label")
        if corrects and not note:
            yield item.at((*where, "corrects"), "warning", "corrects-without-note",
                          f"{name}: corrects {', '.join(corrects)} but has no `note` saying what they said",
                          "add a `note` quoting what the corrected source said; the caveat prints it")
    yield from _opening_findings(item, data)
    if data.short_title is None and len(data.title) > 70:
        yield item.at(("title",), "warning", "long-title", f"title: {len(data.title)} characters, and no short_title: the running "
                      "header on every page shows its first 70", "add a `short_title:` for the running header")
    for index, source in enumerate(data.sources):
        if source.id not in cited:
            yield item.at(("sources", index, "id"), "warning", "uncited-source", f"sources[{index}]: source {source.id!r} is never cited",
                          "cite it from a fact, takeaway, FAQ or figure, or remove it")


def _opening_findings(item: _Loaded[Dataset], data: Dataset) -> Iterator[Finding]:
    """Warn about an uncited summary or bottom line: every brief opens with it, and it states claims."""
    for key in ("bottom_line", "summary"):
        value = getattr(data, key)
        texts = [((key,), value)] if isinstance(value, str) else list(((key, name), text) for name, text in (value or {}).items())
        for path, text in texts:
            if not any(True for _ in marker_ids(text)):
                yield item.at(path, "warning", "uncited", f"{field_name(path)}: cites no source, so briefs label it UNVERIFIED",
                              "cite the sources of its claims inline, e.g. `... about 69% [@usgs-mcs-2025].`")


def _conflict_findings(item: _Loaded[Dataset], data: Dataset) -> Iterator[Finding]:
    """Yield one warning per fact whose quantity differs from the first fact of the same measure."""
    first: dict[str, int] = {}
    for index, fact in enumerate(data.facts):
        quantity = fact.quantity
        if quantity is None or quantity.measure is None:
            continue
        other = first.setdefault(quantity.measure, index)
        earlier = data.facts[other].quantity
        if other != index and earlier is not None and earlier.value != quantity.value:
            line = item.doc.line_of(("facts", other, "quantity")) if item.doc else None
            yield item.at(("facts", index, "quantity"), "warning", "conflict",
                          f"facts[{index}].quantity: {quantity.measure} is {quantity.value:g} {quantity.unit} in {fact.id!r} "
                          f"but {earlier.value:g} {earlier.unit} in {data.facts[other].id!r} (line {line})",
                          "keep both with their sources (briefs state the disagreement), and check which is right")


def _stale_findings(item: _Loaded[Dataset], data: Dataset, max_age_days: int) -> Iterator[Finding]:
    oldest = data.as_of - dt.timedelta(days=max_age_days)
    for index, fact in enumerate(data.facts):
        if fact.date is not None and fact.date < oldest:
            age = (data.as_of - fact.date).days
            yield item.at(("facts", index, "date"), "warning", "stale",
                          f"facts[{index}].date: {fact.id!r} is {age} days older than as_of {data.as_of} (limit {max_age_days})",
                          "check it still holds and update `date`, or raise --max-age-days")


def _reach_findings(item: _Loaded[Dataset], data: Dataset, profiles: Sequence[tuple[_Loaded[Profile], Profile]]) -> Iterator[Finding]:
    """Yield profiles that select none of this file's facts, facts that no brief shows (selected, or
    quoted in a disagreement), and summaries that state what a brief does not show."""
    if not profiles:
        return
    briefs = {profile.id: select(data, profile) for _, profile in profiles}
    for profile_file, profile in profiles:
        decisions = briefs[profile.id].decisions
        if not any(d.selected for d in decisions):
            best = max((d.score for d in decisions), default=0)
            where = ("min_score",) if profile_file.doc and ("min_score",) in profile_file.doc.lines else ("interests",)
            message = f"selects none of the {len(data.facts)} facts of {data.id!r} (best score {best:g}, min_score {profile.min_score:g})"
            yield profile_file.at(where, "warning", "selects-nothing", message, "lower min_score, or weight more of the data file's topics")
    in_conflicts = {text for brief in briefs.values() for conflict in brief.conflicts for text, *_ in conflict.values}
    for index, fact in enumerate(data.facts):
        why = [(p.id, briefs[p.id].decisions[index]) for _, p in profiles]
        if not any(d.selected for _, d in why) and fact.text not in in_conflicts:
            audience, closest = max(why, key=lambda pair: (pair[1].rank is not None, pair[1].score))
            message = f"facts[{index}]: no audience selects {fact.id!r} (closest: {audience}, score {closest.score:g}, {closest.reason})"
            hint = f"weight its topics in a profile or raise its priority; `explain --fact {fact.id}` shows every audience"
            yield item.at(("facts", index, "id"), "warning", "unreachable-fact", message, hint)
    yield from _unshown_mentions(item, data, briefs)


_NUMBER = re.compile(r"\d[\d,.]*\d%?|\d%?")


def _unshown_mentions(item: _Loaded[Dataset], data: Dataset, briefs: Mapping[str, Brief]) -> Iterator[Finding]:
    """Warn when a summary or bottom line states a number that only unconfirmed facts a brief leaves out state.

    A number is the one thing we can tell a text "mentions" without understanding it: "25,000"
    in the summary and only in an unverified fact no investor sees means the investor reads a
    weak claim that the brief neither shows nor labels.
    """
    grades = {source.id: source.reliability for source in data.sources}
    weak = [fact for fact in data.facts if confidence(fact.status, fact.sources, grades).label in ("UNVERIFIED", "DISPUTED", "REPORTED")]
    confirmed = " ".join(fact.text for fact in data.facts if fact not in weak)
    for audience, brief in briefs.items():
        shown = " ".join([*(f.text for f in brief.facts), *(t.text for t in brief.takeaways),
                          *(q.answer for q in brief.faqs), *(c.text for c in brief.caveats)])
        for key in ("bottom_line", "summary"):
            text = getattr(brief, key)
            if text is None or (key == "summary" and "summary" not in brief.sections):
                continue
            for number in dict.fromkeys(_NUMBER.findall(str(text))):
                stating = [fact.id for fact in weak if _states(fact.text, number)]
                if stating and not _states(shown, number) and not _states(confirmed, number):
                    path = (key, audience) if isinstance(getattr(data, key), dict) and audience in getattr(data, key) else (key,)
                    yield item.at(path, "warning", "unshown-claim",
                                  f"{field_name(path)}: the {audience} brief's {key.replace('_', ' ')} says {number!r}, which only "
                                  f"unconfirmed facts that brief does not show state ({', '.join(stating[:3])})",
                                  f"show one of those facts to {audience}, or give {audience} its own {key} "
                                  f"(`{key}: {{default: ..., {audience}: ...}}`)")


def _states(text: str, number: str) -> bool:
    return re.search(rf"(?<![\d,.]){re.escape(number)}(?![\d,]|\.\d)", text) is not None


# --- Profiles and templates -------------------------------------------------------------------


def _profile_findings(item: _Loaded[Profile], profile: Profile, topics: set[str] | None) -> Iterator[Finding]:
    if topics is not None:
        yield from _interest_findings(item, list(profile.interests), topics)
    for section, why in (("caveats", "labelled claims would not be explained"), ("sources", "citation numbers would point nowhere")):
        if section not in profile.sections:
            yield item.at(("sections",), "warning", "missing-section", f"sections: no {section!r} section, so {why}",
                          f"add {section} to `sections:`")


def _interest_findings(item: _Loaded[Profile], interests: Iterable[str], topics: set[str]) -> Iterator[Finding]:
    for topic in interests:
        if topic not in topics:
            yield item.at(("interests", topic), "error", "unknown-topic",
                          f"interests.{topic}: neither the topic scheme nor a data file defines topic {topic!r}",
                          _known("use a topic of the scheme or of a data file's `topics:`", topic, topics))


def _raw_interests(item: _Loaded[Profile]) -> list[str]:
    """Return the topic keys of a profile that did not validate, as written (none when unreadable)."""
    value = item.doc.value if item.doc else None
    interests = value.get("interests") if isinstance(value, dict) else None
    return [str(key) for key in interests] if isinstance(interests, dict) else []


_LOCATED = re.compile(r"^(?P<file>[^\n]+?):(?P<line>\d+): (?P<message>.*)$", re.DOTALL)


def _template_findings(
    renderer: Renderer, names: Sequence[str], datasets: Sequence[Dataset], profiles: Sequence[tuple[_Loaded[Profile], Profile]],
    recipient: Severity | None,
) -> list[Finding]:
    """Load every template and lay out every brief in memory; return one finding per distinct error."""
    found: dict[str, Finding] = {}
    broken: set[str] = set()
    for name in names:
        try:
            renderer.template(name)
        except TemplateError as exc:
            broken.add(name)
            users = [item for item, profile in profiles if profile.template == name]
            found.setdefault(str(exc), _template_finding(renderer, name, exc, users[0] if users else None))
    for data in datasets:
        for item, profile in profiles:
            name = profile.template or DEFAULT_TEMPLATE
            if name in broken:
                continue
            try:
                compose(select(data, profile), renderer, template=profile.template)
            except TemplateError as exc:
                finding = _template_finding(renderer, name, exc, item, f" (laying out {data.id} for {profile.id})")
                if "'recipient' is undefined" in str(exc):
                    if recipient is None:
                        continue
                    finding = replace(finding, severity=recipient, code="needs-recipient", hint=(
                        "only a batch run has `recipient`, so briefs without one fail: test it with "
                        "{% if recipient is defined %}"))
                found.setdefault(str(exc), finding)
    return list(found.values())


MAIL_TEMPLATES = ("email.txt.j2", "email.html.j2")
"""The bodies `send` writes: compiled here, so a syntax error is found before a list is sent."""


def _mail_template_findings(renderer: Renderer) -> list[Finding]:
    found = []
    for name in MAIL_TEMPLATES:
        try:
            renderer.env.get_template(name)
        except jinja2.TemplateSyntaxError as exc:
            found.append(Finding(exc.filename or renderer.source_path(name), exc.lineno, "error", "template", exc.message or "syntax error",
                                 "the e-mail templates are Jinja2; see the README of the templates folder"))
        except (jinja2.TemplateNotFound, TemplateError):
            continue  # not on the search path, or not text: `send` says so when it needs it
    return found


def _template_finding(renderer: Renderer, name: str, exc: TemplateError, user: _Loaded[Profile] | None, context: str = "") -> Finding:
    """Place a template error at its template line when known, else at the profile naming the template."""
    hint = "templates write a small HTML vocabulary, listed in the README of the templates folder (`init` copies it)"
    match = _LOCATED.match(str(exc))
    if match:
        return Finding(match["file"], int(match["line"]), "error", "template", match["message"] + context, hint)
    path = renderer.source_path(name)
    if path == name and user is not None and user.model is not None and user.model.template == name:
        return user.at(("template",), "error", "template", f"template: {exc}", "name a template on the template search path (--templates)")
    return Finding(path, None, "error", "template", str(exc).removeprefix(f"{path}: ") + context, hint)
