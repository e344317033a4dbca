"""What `check` finds, and reading a file into a finding-friendly form: the parts every check shares."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ValidationError

from ..citestyles import StyleProblem, check_style
from ..datafiles import is_workbook, read_data
from ..errors import DataError, one_line
from ..invocation import program
from ..models import Dataset, Profile
from ..references import anchor_style, with_references
from ..suggest import did_you_mean, known_or_closest
from ..validation import empty_message, field_name, validation_problems
from ..yamlsource import Located, Unread, Where, YamlError

LOCATED = re.compile(r"^(?P<file>[^\n]+?):(?P<line>\d+|[^\s:!]+![A-Z]+\d+): (?P<message>.*)$", re.DOTALL)
"""An error message that starts `file:line: ` (or a workbook's `file:Sheet!C12: `)."""

DEFAULT_MAX_AGE_DAYS = 365
"""A fact whose `date` is older than this, counted back from the data file's `as_of`, is stale."""

Severity = Literal["error", "warning"]
M = TypeVar("M", bound=BaseModel)
WEAK_GRADES = frozenset("DEF")


@dataclass(frozen=True)
class Finding:
    """One problem, where it is, and what to do about it."""

    file: str
    line: Where | None
    """1-based line in `file` (a workbook's cell, `Facts!C12`), None when unknown."""
    severity: Severity
    code: str
    """Short stable name of the kind of problem, for CI filters (e.g. `unknown-source`)."""
    message: str
    hint: str
    subject: str = ""
    """What the finding is about, as a data file's `acknowledged:` names it: an item's id, `takeaways[N]`, a key."""

    def text(self) -> str:
        """Return `file:line: severity: message (hint: ...)`."""
        where = f"{self.file}:{self.line}" if self.line else self.file
        return one_line(f"{where}: {self.severity}: {self.message} (hint: {self.hint})")

    def acknowledged_text(self, reason: str) -> str:
        """Return `file:line: acknowledged warning: message (code item: reason)`, as `check --strict` lists it."""
        where = f"{self.file}:{self.line}" if self.line else self.file
        return one_line(f"{where}: acknowledged warning: {self.message} ({self.code} {self.subject}: {reason})")


@dataclass(frozen=True)
class Checked:
    """What a check loaded, selected and laid out, for the command that runs next: nothing is loaded or laid out twice."""

    datasets: tuple[tuple[Path, Dataset], ...]
    """Each data file that loaded without error, with the topic vocabulary it resolves against."""
    profiles: dict[str, Profile]
    """Each profile that loaded, by id (the first on the search path)."""
    renderer: Any
    """The `rendering.Renderer` of the template search path, its templates compiled."""
    briefs: dict[tuple[Path, str], Any]
    """(data file, audience) -> its `Brief`, selected once."""
    documents: dict[tuple[Path, str], tuple[Any, Any]]
    """(data file, audience) -> (the `Brief` laid out, its `Document`), once (without a recipient or a page size from the
    command line): the brief with its changes when `editions` has the data file's earlier edition, else `briefs`'s."""
    editions: dict[Path, Dataset] = field(default_factory=dict)
    """Data file -> its earlier edition (`--since`), read once the inputs were found sound."""
    changed: dict[tuple[Path, str], tuple[Any, Any]] = field(default_factory=dict)
    """(data file, audience) -> (its `Brief` of the earlier edition, its brief listing the changes), for each data file in `editions`."""


@dataclass(frozen=True)
class Report:
    """Every finding of one check, and how much was checked."""

    findings: tuple[Finding, ...]
    data_files: int
    profiles: int
    templates: int
    acknowledged: tuple[tuple[Finding, str], ...] = ()
    """Warnings a data file keeps on purpose, with its reason: listed by `check --strict`, counted nowhere."""
    checked: Checked | None = field(default=None, compare=False, repr=False)
    """What the check loaded and laid out; None for a report made without checking (a broken config)."""

    @property
    def errors(self) -> int:
        return sum(f.severity == "error" for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f.severity == "warning" for f in self.findings)

    def relative_to(self, cwd: Path) -> Report:
        """Return the report with each file named relative to `cwd` when inside it, as editors and terminals expect."""
        return replace(self, findings=tuple(replace(f, file=relative_file(f.file, cwd)) for f in self.findings),
                       acknowledged=tuple((replace(f, file=relative_file(f.file, cwd)), why) for f, why in self.acknowledged))

    def exit_code(self, *, strict: bool = False) -> int:
        """Return 1 when there are errors (or, with `strict`, warnings), else 0."""
        return 1 if self.errors or (strict and self.warnings) else 0

    def acknowledging(self, data: Loaded[Any]) -> Report:
        """Move the warnings that `data`'s `acknowledged:` list names out of the findings; warn about entries naming none."""
        model = data.model
        if model is None or not getattr(model, "acknowledged", ()):
            return self
        kept: list[tuple[Finding, str]] = []
        findings = list(self.findings)
        for index, entry in enumerate(model.acknowledged):
            matched = [f for f in findings if f.file == str(data.path) and f.severity == "warning"
                       and (f.code, f.subject) == (entry.code, entry.item)]
            if not matched:
                here = [f for f in findings if f.file == str(data.path) and f.severity == "warning"]
                typo = did_you_mean(entry.code, {f.code for f in here}) or did_you_mean(entry.item, {f.subject for f in here})
                findings.append(data.at(("acknowledged", index), "warning", "stale-acknowledgement",
                                        f"acknowledged[{index}]: no {entry.code} warning about {entry.item!r} to acknowledge",
                                        f"{typo + ' ' if typo else ''}remove the entry, or fix its code or item (`check --format json` "
                                        "lists both)"))
            kept += [(f, entry.reason) for f in matched]
            findings = [f for f in findings if f not in matched]
        return replace(self, findings=tuple(findings), acknowledged=(*self.acknowledged, *kept))

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
                {"file": f.file, "line": f.line, "severity": f.severity, "code": f.code, "item": f.subject, "message": f.message,
                 "hint": f.hint}
                for f in self.findings
            ],
            "acknowledged": [
                {"file": f.file, "line": f.line, "code": f.code, "item": f.subject, "message": f.message, "reason": why}
                for f, why in self.acknowledged
            ],
            "summary": {
                "errors": self.errors,
                "warnings": self.warnings,
                "data_files": self.data_files,
                "profiles": self.profiles,
                "templates": self.templates,
            },
        }


def line_order(line: Where | None) -> tuple[int, str, int, int, str]:
    """Return a sort key putting findings in reading order: by line, or a workbook's by sheet, row and column."""
    if not isinstance(line, str):
        return (0, "", line or 0, 0, "")
    sheet, _, cell = line.rpartition("!")
    column = cell.rstrip("0123456789")
    row = cell[len(column):]
    return (1, sheet, int(row) if row else 0, len(column), column)


def relative_file(file: str, cwd: Path) -> str:
    """Return `file` relative to `cwd` when it is inside it (as editors and terminals expect), else as given."""
    try:
        return str(Path(file).resolve().relative_to(cwd.resolve()))
    except (ValueError, OSError):
        return file


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


@dataclass
class Loaded(Generic[M]):
    """A file read for checking: its lines, and its model when it validated."""

    path: Path
    doc: Located | None
    model: M | None
    findings: list[Finding] = field(default_factory=list)

    def at(self, where: Sequence[str | int], severity: Severity, code: str, message: str, hint: str) -> Finding:
        line = self.doc.line_of(tuple(where)) if self.doc else None
        return Finding(str(self.path), line, severity, code, message, hint, _subject(self.doc.value if self.doc else None, where))


_IDENTIFIED = ("facts", "sources", "figures")
"""Lists whose items have an `id`, by which an acknowledgement names them; other lists are named by index."""


def _subject(value: Any, where: Sequence[str | int]) -> str:
    """Return what a finding at `where` is about: an item's id, `takeaways[2]`, a topic id, or a top-level key."""
    if not where:
        return ""
    head = str(where[0])
    if len(where) < 2:
        return head
    if isinstance(where[1], int):
        items = value.get(head) if isinstance(value, dict) else None
        item = items[where[1]] if isinstance(items, list) and where[1] < len(items) else None
        if head in _IDENTIFIED and isinstance(item, dict) and isinstance(item.get("id"), str):
            return str(item["id"])
        return f"{head}[{where[1]}]"
    return str(where[1]) if head == "topics" else head


def located_finding(exc: Exception, code: str, hint: str) -> Finding:
    """Turn an error message `file:line: message` (line optional) into a finding."""
    match = LOCATED.match(str(exc))
    if match:
        line = match["line"]
        return Finding(match["file"], int(line) if line.isdigit() else line, "error", code, match["message"], hint)
    file, _, message = str(exc).partition(": ")
    return Finding(file, None, "error", code, message or file, hint)


def first_of_each_id(paths: Iterable[Path]) -> list[Path]:
    """Keep the first file of each profile id, as loading does (earlier folders take precedence)."""
    first: dict[str, Path] = {}
    for path in paths:
        first.setdefault(path.stem, path)
    return list(first.values())


def load_file(path: Path, model: type[M], what: str, *, empty_ok: bool = False) -> Loaded[M]:
    """Read and validate one file, turning every problem into an error finding instead of raising."""
    try:
        doc = read_data(path)
    except YamlError as exc:
        if is_workbook(path):
            return Loaded(path, None, None, [Finding(str(path), exc.line, "error", "invalid-workbook", exc.message, _WORKBOOK_HINT)])
        hint = "fix the YAML at this line" if exc.line else f"check that the {what} exists and is readable"
        return Loaded(path, None, None, [Finding(str(path), exc.line, "error", "invalid-yaml", exc.message, hint)])
    if doc.value is None and empty_ok:
        doc = Located({}, doc.lines)
    loaded: Loaded[M] = Loaded(path, doc, None)
    if doc.value is None:
        hint = f"write the {what}'s keys into it, or remove it"
        loaded.findings.append(Finding(str(path), 1, "error", "empty", empty_message(what), hint))
        return loaded
    if not isinstance(doc.value, dict):
        loaded.findings.append(loaded.at((), "error", "invalid", "expected a mapping of keys to values at the top level",
                                         f"a {what} is a YAML mapping (key: value lines)"))
        return loaded
    problems = doc.problems
    loaded.findings += [_unread_finding(loaded, problem) for problem in problems]
    if model is Profile:
        doc = anchor_style(doc, path.parent)
    if model is Dataset:
        try:
            doc = with_references(doc, path, path)
        except DataError as exc:
            loaded.findings.append(located_finding(exc, "references", "export the references again from the reference manager, "
                                                                "or fix the `references:` path"))
            return loaded
    try:
        value = model.model_validate(doc.value)
    except ValidationError as exc:
        hint = schema_hint(model, what)
        unread = [problem.path for problem in problems if problem.path]
        for problem in validation_problems(exc, doc.value):
            if not any(problem.path[:len(path)] == path for path in unread):  # said already: the cell could not be read
                loaded.findings.append(loaded.at(problem.path, "error", "invalid", f"{field_name(problem.path)}: {problem.message}", hint))
        return loaded
    if problems:
        return Loaded(path, doc, None, loaded.findings)
    style = getattr(value, "citation_style", None)
    if style:
        try:
            check_style(style, path.parent)
        except StyleProblem as exc:
            loaded.findings.append(loaded.at(("citation_style",), "error", "citation-style", f"citation_style: {exc}",
                                             "the README's Citations section lists the common styles"))
            return loaded
    if isinstance(value, Profile) and value.id != path.stem:
        loaded.findings.append(loaded.at(("id",), "error", "invalid", f"id: id {value.id!r} must match the file name {path.stem!r}",
                                         "rename the file or change the id"))
        return loaded
    return Loaded(path, doc, value, loaded.findings)


_WORKBOOK_HINT = "a data workbook is an .xlsx file saved by Excel, LibreOffice Calc or Google Sheets (File, Download, .xlsx)"


def _unread_finding(loaded: Loaded[Any], problem: Unread) -> Finding:
    """Return the error of a workbook's cell that could not be read (an unknown column, a formula with no saved result)."""
    message = f"{field_name(problem.path)}: {problem.message}" if problem.path else problem.message
    hint = ("a spreadsheet program saves each formula's result, a script writing the workbook may not" if problem.path else
            f"the header row holds the field names (`{program()} new ID --xlsx` writes a workbook to start from)")
    finding = loaded.at(problem.path, "error", "unreadable-cell", message, hint)
    return replace(finding, line=problem.where)


def known(advice: str, wrong: str, known: Iterable[str]) -> str:
    """Return advice, with the closest known ids when the wrong one looks like a typo."""
    suggestion = known_or_closest(wrong, known, "")
    return f"{advice}; {suggestion}" if suggestion else advice


def schema_hint(model: type[BaseModel], what: str) -> str:
    kinds = {Dataset: "data", Profile: "profile"}
    if model in kinds:
        return f"`{program()} schema --kind {kinds[model]}` lists the fields of a {what}, their types and what each means"
    if what == "theme":
        return (f"the comments of the built-in theme file explain every key (`{program()} init DIR` copies it to "
                "DIR/styles/theme.yaml); margins are in cm, sizes in points, colours \"#rrggbb\"")
    return f"the README lists the keys of a {what}"
