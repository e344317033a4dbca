"""Batch production: one brief per recipient and format, safe names, bad rows alone, reruns that redo only what changed."""

from __future__ import annotations

import csv
import os
import random
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable, Generator, Sequence
from pathlib import Path

import pytest
from conftest import AUDIENCES, DEFAULT_DATA, ROOT, Result, one_error
from docx import Document
from processes import alive_in_group, wait_until
from pypdf import PdfReader
from readback import briefs_in, docx_text, opens, pdf_text

from briefs.batch import Done, Plan, plan_batch, run_batch
from briefs.batch.jobs import Worker
from briefs.manifest import MANIFEST_NAME, Journal, Record, read_manifest
from briefs.output import TEMP_PREFIX
from briefs.pipeline import load_inputs
from briefs.writers import WRITERS

Cli = Callable[..., Result]

TINY = """\
id: tiny
title: A tiny topic
subtitle: For tests
as_of: 2025-11-15
summary: One paragraph.
topics:
  investment: Investment
  supply: Supply
  policy: Policy
  environment: Environment
sources:
  - id: src-a
    title: Source A
    publisher: Publisher A
    reliability: B
  - id: src-b
    title: Source B
    publisher: Publisher B
    reliability: A
facts:
  - id: investment-fact
    text: Only investors read this.
    topics: [investment]
    sources: [src-a]
    status: confirmed
  - id: supply-fact
    text: Only manufacturers read this.
    topics: [supply]
    sources: [src-a]
    status: confirmed
  - id: policy-fact
    text: Only policymakers read this.
    topics: [policy]
    sources: [src-a]
    status: confirmed
  - id: environment-fact
    text: Only researchers read this.
    topics: [environment]
    sources: [src-a]
    status: confirmed
  - id: late-fact
    text: Policymakers read this once its priority rises.
    topics: [policy]
    sources: [src-b]
    status: confirmed
    priority: -5
"""


def write_csv(path: Path, rows: Sequence[Sequence[str]], header: Sequence[str] = ("name", "audience", "email")) -> Path:
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def people(count: int) -> list[list[str]]:
    """Return `count` recipients, the audiences taken in turn."""
    return [[f"Person {i:04d}", AUDIENCES[i % len(AUDIENCES)], f"p{i}@example.org"] for i in range(count)]


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY, encoding="utf-8")
    return path


def test_batch_writes_one_brief_per_recipient_and_format(cli: Cli, tmp_path: Path) -> None:
    recipients = write_csv(tmp_path / "r.csv", people(4))
    result = cli("batch", recipients, "--data", DEFAULT_DATA, "--out", tmp_path / "out", "--jobs", "1")
    assert result.code == 0, result.err
    folder = tmp_path / "out" / "us-japan-critical-minerals-2025" / "recipients"
    assert [p.name for p in briefs_in(folder)] == sorted(f"Person {i:04d}.{ext}" for i in range(4) for ext in ("docx", "pdf"))
    assert "Person 0002" in docx_text(folder / "Person 0002.docx")
    assert "Person 0003" in pdf_text(folder / "Person 0003.pdf")
    records = read_manifest(folder / MANIFEST_NAME)
    assert sorted(records) == [p.name for p in briefs_in(folder)]
    record = records["Person 0001.pdf"]
    assert (record.name, record.line, record.audience, record.format) == ("Person 0001", 3, AUDIENCES[1], "pdf")
    assert record.facts and record.sources and len(record.key) == 64
    assert record.size == (folder / record.path).stat().st_size
    assert "written 8, skipped 0, failed 0" in result.out and "briefs/s" in result.out


def test_personalization_columns_reach_the_template(cli: Cli, tmp_path: Path, tiny: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "brief.html.j2").write_text(
        '{% extends "builtin/brief.html.j2" %}{% block disclaimer %}'
        "<aside class=\"disclaimer\"><p>Prepared for {{ recipient.organisation }}</p></aside>{% endblock %}\n",
        encoding="utf-8",
    )
    recipients = write_csv(tmp_path / "r.csv", [["Ann", "investor", "a@x.org", "Acme & Co <UK>"]],
                           header=("name", "audience", "email", "organisation"))
    result = cli("batch", recipients, "--data", tiny, "--templates", templates, "--out", tmp_path / "out", "-f", "docx")
    assert result.code == 0, result.err
    assert "Prepared for Acme & Co <UK>" in docx_text(tmp_path / "out" / "tiny" / "recipients" / "Ann.docx")


HOSTILE = [
    "../../../etc/passwd",
    "/tmp/absolute",
    "..\\..\\Windows\\win.ini",
    "CON",
    "nul",
    "COM1",
    "LPT1.txt",
    "tab\tand\x1bescape\x00nul",
    ".hidden",
    "-rf",
    "evil\u202egpj.exe",
    "x" * 300,
    "山田太郎" * 75,
    "Anna",
    "anna",
    "ANNA",
    "a/b",
    "a_b",
    ".briefs-tmp-not-a-temporary-file",
]


def test_hostile_names_land_inside_out_one_file_each_and_open(cli: Cli, tmp_path: Path, tiny: Path) -> None:
    # No email column: these recipients are known by name and audience.
    recipients = write_csv(tmp_path / "r.csv", [[name, AUDIENCES[i % 4]] for i, name in enumerate(HOSTILE)], header=("name", "audience"))
    result = cli("batch", recipients, "--data", tiny, "--out", tmp_path / "out", "--jobs", "1")
    assert result.code == 0, result.err
    folder = tmp_path / "out" / "tiny" / "recipients"
    everything = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert everything == sorted([Path("r.csv"), Path("tiny.yaml"), Path("out/tiny/recipients") / MANIFEST_NAME,
                                 Path("out/tiny/recipients/index.csv"), *(p.relative_to(tmp_path) for p in briefs_in(folder))])
    for fmt in ("docx", "pdf"):
        files = [p for p in briefs_in(folder) if p.suffix == f".{fmt}"]
        assert len(files) == len(HOSTILE)
        assert len({p.name.casefold() for p in files}) == len(HOSTILE)
        for path in files:
            assert len(path.name.encode()) <= 200 and not path.name.startswith((".", "-"))
            assert opens(path), path
    for variant in ("Anna", "anna", "ANNA"):  # three recipients, three files, each with its own name
        assert sum(f": {variant} ·" in docx_text(path) for path in folder.glob("*.docx") if path.stem.casefold().startswith("anna")) == 1
    japanese = next(p for p in briefs_in(folder) if p.name.startswith("山田太郎") and p.suffix == ".pdf")
    assert "山田太郎" in pdf_text(japanese)


def test_a_rerun_with_nothing_changed_writes_nothing(cli: Cli, tmp_path: Path, tiny: Path) -> None:
    recipients = write_csv(tmp_path / "r.csv", people(8))
    args = ("batch", recipients, "--data", tiny, "--out", tmp_path / "out", "-f", "docx", "--jobs", "1")
    assert cli(*args).code == 0
    folder = tmp_path / "out" / "tiny" / "recipients"
    before = {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in folder.iterdir()}
    result = cli(*args)
    assert result.code == 0, result.err
    assert "nothing changed: 8 briefs up to date" in result.out
    assert {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in folder.iterdir()} == before


def test_changing_one_fact_rerenders_only_the_briefs_that_show_it(cli: Cli, tmp_path: Path, tiny: Path) -> None:
    recipients = write_csv(tmp_path / "r.csv", people(8))
    args = ("batch", recipients, "--data", tiny, "--out", tmp_path / "out", "-f", "docx", "-f", "pdf", "--jobs", "1")
    assert cli(*args).code == 0
    manifest = tmp_path / "out" / "tiny" / "recipients" / MANIFEST_NAME
    before = read_manifest(manifest)
    showing = {path for path, record in before.items() if "environment-fact" in record.facts}
    assert showing and {before[p].audience for p in showing} == {"researcher"}

    tiny.write_text(TINY.replace("Only researchers read this.", "Only researchers read this, revised."), encoding="utf-8")
    result = cli(*args)
    assert result.code == 0, result.err
    after = read_manifest(manifest)
    assert {p for p in after if after[p].key != before[p].key} == showing
    assert {p for p in after if after[p].mtime_ns != before[p].mtime_ns} == showing
    assert f"written {len(showing)}, skipped {len(before) - len(showing)}, failed 0" in result.out


def test_a_fact_entering_a_brief_rerenders_that_audience_only(cli: Cli, tmp_path: Path, tiny: Path) -> None:
    recipients = write_csv(tmp_path / "r.csv", people(8))
    args = ("batch", recipients, "--data", tiny, "--out", tmp_path / "out", "-f", "docx", "--jobs", "1")
    assert cli(*args).code == 0
    manifest = tmp_path / "out" / "tiny" / "recipients" / MANIFEST_NAME
    before = read_manifest(manifest)
    assert not any("late-fact" in record.facts for record in before.values())

    tiny.write_text(TINY.replace("priority: -5", "priority: 0"), encoding="utf-8")
    assert cli(*args).code == 0
    after = read_manifest(manifest)
    changed = {p for p in after if after[p].key != before[p].key}
    assert changed == {p for p, record in before.items() if record.audience == "policymaker"}
    assert all("late-fact" in after[p].facts and "src-b" in after[p].sources for p in changed)


def test_options_and_templates_are_part_of_the_key(cli: Cli, tmp_path: Path, tiny: Path) -> None:
    recipients = write_csv(tmp_path / "r.csv", people(4))
    args = ("batch", recipients, "--data", tiny, "--out", tmp_path / "out", "-f", "pdf", "--jobs", "1")
    assert cli(*args).code == 0
    letter = cli(*args, "--page-size", "Letter")
    assert "written 4, skipped 0" in letter.out
    assert PdfReader(str(tmp_path / "out" / "tiny" / "recipients" / "Person 0000.pdf")).pages[0].mediabox.width == pytest.approx(612)
    assert "nothing changed" in cli(*args, "--page-size", "Letter").out
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "brief.html.j2").write_text('{% extends "builtin/brief.html.j2" %}\n', encoding="utf-8")
    assert "written 4, skipped 0" in cli(*args, "--page-size", "Letter", "--templates", templates).out


def test_a_style_change_rerenders_exactly_the_formats_whose_writer_reads_it(cli: Cli, tmp_path: Path, tiny: Path) -> None:
    theme = tmp_path / "theme.yaml"
    theme.write_text("page_size: Letter\n", encoding="utf-8")
    reference = tmp_path / "house.docx"
    shutil.copy(ROOT / "templates" / "styles" / "reference.docx", reference)
    recipients = write_csv(tmp_path / "r.csv", people(4))
    args = ("batch", recipients, "--data", tiny, "--out", tmp_path / "out", "--theme", theme, "--reference-docx", reference,
            "--jobs", "1")
    assert cli(*args).code == 0
    folder = tmp_path / "out" / "tiny" / "recipients"
    assert PdfReader(str(folder / "Person 0000.pdf")).pages[0].mediabox.width == pytest.approx(612)

    def rerendered() -> set[str]:
        before = read_manifest(folder / MANIFEST_NAME)
        result = cli(*args)
        assert result.code == 0, result.err
        after = read_manifest(folder / MANIFEST_NAME)
        return {Path(p).suffix[1:] for p in after if after[p].key != before[p].key}

    theme.write_text("page_size: Letter\nbase_font_size: 12\n", encoding="utf-8")
    assert rerendered() == {fmt for fmt, spec in WRITERS.items() if spec.default and "theme" in spec.reads}
    Document(str(reference)).save(str(reference))  # the same styles, other bytes
    assert rerendered() == {fmt for fmt, spec in WRITERS.items() if spec.default and "reference_docx" in spec.reads} == {"docx"}


def test_a_missing_or_altered_brief_is_written_again_and_a_touched_one_is_not(cli: Cli, tmp_path: Path, tiny: Path) -> None:
    recipients = write_csv(tmp_path / "r.csv", people(4))
    args = ("batch", recipients, "--data", tiny, "--out", tmp_path / "out", "-f", "docx", "--jobs", "1")
    assert cli(*args).code == 0
    folder = tmp_path / "out" / "tiny" / "recipients"
    (folder / "Person 0000.docx").unlink()
    altered = folder / "Person 0001.docx"
    altered.write_bytes(b"x" * altered.stat().st_size)
    touched = folder / "Person 0002.docx"
    os.utime(touched, ns=(touched.stat().st_atime_ns, touched.stat().st_mtime_ns + 10**9))
    (folder / f"{TEMP_PREFIX}left-by-a-killed-run").write_bytes(b"half a brief")
    result = cli(*args)
    assert result.code == 0, result.err
    assert "written 2, skipped 2, failed 0" in result.out and "swept 1 temporary file" in result.out
    assert opens(folder / "Person 0000.docx") and opens(altered)
    assert not list(folder.glob(TEMP_PREFIX + "*"))
    assert read_manifest(folder / MANIFEST_NAME)["Person 0002.docx"].mtime_ns == touched.stat().st_mtime_ns


def test_a_bad_row_fails_alone_and_is_reported_with_its_line(cli: Cli, tmp_path: Path, tiny: Path) -> None:
    recipients = tmp_path / "r.csv"
    recipients.write_bytes(
        b"\xef\xbb\xbfname,audience,email\n"  # 1, with a byte-order mark
        b"Ann,investor,a@x.org\n"  # 2
        b"Bob,astronaut,b@x.org\n"  # 3
        b",investor,c@x.org\n"  # 4
        b"Caf\xe9,investor,d@x.org\n"  # 5: Latin-1, not UTF-8
        b'"Multi\nline",researcher,e@x.org\n'  # 6-7
        b"Dan,investor\n"  # 8
        b"\n"  # 9: blank lines are skipped
        b"Eve,manufacturer,f@x.org\n"  # 10
    )
    result = cli("batch", recipients, "--data", tiny, "--out", tmp_path / "out", "-f", "docx", "--jobs", "1")
    assert result.code == 1
    assert f"{recipients}:3: unknown audience 'astronaut'; known audiences: investor" in result.err
    assert f"{recipients}:4: empty name" in result.err
    assert f"{recipients}:5: not valid UTF-8 (byte 0xE9 in column 'name')" in result.err
    assert f"{recipients}:8: 2 fields, but the header has 3" in result.err
    assert [p.name for p in briefs_in(tmp_path / "out" / "tiny" / "recipients")] == ["Ann.docx", "Eve.docx", "Multi line.docx"]
    assert read_manifest(tmp_path / "out" / "tiny" / "recipients" / MANIFEST_NAME)["Eve.docx"].line == 10
    assert "written 3, skipped 0, failed 4" in result.out


@pytest.mark.parametrize(
    ("what", "data", "header"),
    [
        ("data file", "id: tiny\ntitle: [unclosed\n", "name,audience,email"),
        ("header", None, "name,email,organisation"),
        ("header", None, "name,audience,email,name"),
    ],
)
def test_an_invalid_input_writes_nothing_at_all(cli: Cli, tmp_path: Path, tiny: Path, what: str, data: str | None, header: str) -> None:
    if data is not None:
        tiny.write_text(data, encoding="utf-8")
    recipients = tmp_path / "r.csv"
    recipients.write_text(header + "\nAnn,investor,a@x.org\n", encoding="utf-8")
    result = cli("batch", recipients, "--data", tiny, "--out", tmp_path / "out")
    assert result.code == 1
    assert (str(tiny) if what == "data file" else str(recipients)) in one_error(result.err)
    assert not (tmp_path / "out").exists()


def test_a_spreadsheet_export_with_semicolons_and_a_byte_order_mark_is_read(cli: Cli, tmp_path: Path, tiny: Path) -> None:
    recipients = tmp_path / "r.csv"
    recipients.write_bytes("\ufeffName;Audience;Email;Organisation\r\nZoë;researcher;z@x.org;Acme\r\n".encode())
    result = cli("batch", recipients, "--data", tiny, "--out", tmp_path / "out", "-f", "docx")
    assert result.code == 0, result.err
    assert "Researchers: Zoë" in docx_text(tmp_path / "out" / "tiny" / "recipients" / "Zoë.docx")


def test_a_header_without_rows_writes_nothing(cli: Cli, tmp_path: Path, tiny: Path) -> None:
    recipients = write_csv(tmp_path / "r.csv", [])
    result = cli("batch", recipients, "--data", tiny, "--out", tmp_path / "out")
    assert result.code == 0 and "no recipients" in result.out
    assert not list((tmp_path / "out").rglob("*.docx"))


def test_recipients_files_over_the_limits_are_refused(cli: Cli, tmp_path: Path, tiny: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from briefs.batch import recipients as module

    path = write_csv(tmp_path / "r.csv", people(3))
    monkeypatch.setattr(module, "MAX_ROWS", 2)
    result = cli("batch", path, "--data", tiny, "--out", tmp_path / "out")
    assert result.code == 1 and f"{path}:4: more than 2 rows; split the file" in result.err
    monkeypatch.setattr(module, "MAX_BYTES", 10)
    result = cli("batch", path, "--data", tiny, "--out", tmp_path / "out")
    assert result.code == 1 and "limit of a recipients file; split it" in result.err
    assert not (tmp_path / "out").exists()


def test_an_invalid_template_writes_nothing_at_all(cli: Cli, tmp_path: Path, tiny: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "brief.html.j2").write_text("<p>{{ recipient.no_such_column }}</p>\n", encoding="utf-8")
    recipients = write_csv(tmp_path / "r.csv", people(4))
    result = cli("batch", recipients, "--data", tiny, "--templates", templates, "--out", tmp_path / "out")
    assert result.code == 1 and "no_such_column" in result.err
    assert not (tmp_path / "out").exists()


def test_a_batch_reads_one_data_file(cli: Cli, tmp_path: Path, tiny: Path) -> None:
    recipients = write_csv(tmp_path / "r.csv", people(1))
    result = cli("batch", recipients, "--data", tiny, "--data", DEFAULT_DATA, "--out", tmp_path / "out")
    assert result.code == 1 and "one data file" in result.err


def test_jobs_must_be_a_positive_number(cli: Cli, tmp_path: Path) -> None:
    assert cli("batch", tmp_path / "r.csv", "--jobs", "0").code == 2


def test_worker_processes_write_the_same_briefs_as_one_process(cli: Cli, tmp_path: Path, tiny: Path) -> None:
    recipients = write_csv(tmp_path / "r.csv", people(16))
    one = cli("batch", recipients, "--data", tiny, "--out", tmp_path / "one", "-f", "docx", "--jobs", "1")
    two = cli("batch", recipients, "--data", tiny, "--out", tmp_path / "two", "-f", "docx", "--jobs", "2")
    assert one.code == two.code == 0, two.err
    assert "2 worker processes" in two.err and "in one process" in one.err
    first, second = briefs_in(tmp_path / "one" / "tiny" / "recipients"), briefs_in(tmp_path / "two" / "tiny" / "recipients")
    assert [p.name for p in first] == [p.name for p in second] and len(first) == 16
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(first, second, strict=True))


def test_reading_the_manifest_skips_a_truncated_last_line(tmp_path: Path) -> None:
    manifest = tmp_path / MANIFEST_NAME
    record = Record("a.pdf", "a@x.org", "A", 2, "investor", "pdf", "k" * 64, ("f1",), ("s1",), "h" * 64, 10, 1)
    with Journal(manifest) as journal:
        journal.append([record, Record(**{**record.__dict__, "path": "b.pdf"})])
    whole = manifest.read_bytes()
    manifest.write_bytes(whole[: len(whole) - 20])  # killed mid-line
    assert list(read_manifest(manifest)) == ["a.pdf"]
    with Journal(manifest) as journal:  # the next run's lines are not glued to the half line
        journal.append([Record(**{**record.__dict__, "path": "c.pdf"})])
    assert sorted(read_manifest(manifest)) == ["a.pdf", "c.pdf"]
    assert read_manifest(tmp_path / "none.json") == {}


def _written(folder: Path) -> int:
    return len(briefs_in(folder)) if folder.is_dir() else 0


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc to see the workers stop")
def test_a_batch_killed_three_times_then_rerun_ends_with_every_brief_whole(tmp_path: Path) -> None:
    recipients = write_csv(tmp_path / "r.csv", people(300))
    folder = tmp_path / "out" / "us-japan-critical-minerals-2025" / "recipients"
    command = [sys.executable, str(ROOT / "generate.py"), "batch", str(recipients), "--data", str(DEFAULT_DATA),
               "--out", str(tmp_path / "out"), "--jobs", "2"]
    chance = random.Random(7)
    for _ in range(3):
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        target = _written(folder) + chance.randint(5, 60)  # killed at another point of the run each time
        wait_until(lambda target=target, process=process: _written(folder) >= target or process.poll() is not None, 90,
                   "the batch wrote nothing")
        assert process.poll() is None, "the batch finished before it could be killed"
        process.send_signal(signal.SIGKILL)
        process.wait()
        wait_until(lambda group=process.pid: not alive_in_group(group), 5, "worker processes outlived their parent")
        for path in briefs_in(folder):  # whatever exists under a final name is whole
            assert opens(path), path
    assert len(briefs_in(folder)) < 600
    final = subprocess.run(command, capture_output=True, text=True, check=False)
    assert final.returncode == 0, final.stderr
    for fmt in ("docx", "pdf"):
        assert len([p for p in briefs_in(folder) if p.suffix == f".{fmt}"]) == 300
    assert all(opens(path) for path in briefs_in(folder))
    assert not list(folder.glob(TEMP_PREFIX + "*"))
    records = read_manifest(folder / MANIFEST_NAME)
    assert sorted(records) == [p.name for p in briefs_in(folder)]
    assert len((folder / MANIFEST_NAME).read_text().splitlines()) == 600  # compacted
    again = subprocess.run(command, capture_output=True, text=True, check=False)
    assert "nothing changed: 600 briefs up to date" in again.stdout


def test_a_new_edition_in_one_format_rewrites_the_other_formats_a_recipient_holds(cli: Cli, tmp_path: Path, tiny: Path) -> None:
    recipients = write_csv(tmp_path / "r.csv", people(2))
    base = ("batch", recipients, "--data", tiny, "--out", tmp_path / "out", "--jobs", "1")
    assert cli(*base, "-f", "docx", "-f", "pdf").code == 0
    assert "nothing changed" in cli(*base, "-f", "pdf").out  # an unchanged PDF leaves the DOCX alone
    tiny.write_text(TINY.replace("as_of: 2025-11-15", "as_of: 2025-12-15"), encoding="utf-8")
    assert cli(*base, "-f", "pdf").code == 0
    with (tmp_path / "out" / "tiny" / "recipients" / "index.csv").open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    assert [row["edition"] for row in rows] == ["2025-12-15", "2025-12-15"] and all(row["docx"] for row in rows)


class _DyingAfterOne:
    """An executor whose worker writes the first recipient's briefs, then dies before replying for its chunk."""

    def workers(self, plan: Plan) -> int:
        return 1

    def where(self, plan: Plan) -> str:
        return "one worker that dies"

    def results(self, plan: Plan) -> Generator[Done, None, None]:
        worker = Worker(plan.setup)
        try:
            worker.run(plan.tasks[0])  # written and journaled; the reply is lost with the worker
        finally:
            worker.close()
        yield from (Done(task, (), (), f"{plan.setup.source}:{task.line}: a worker process died") for task in plan.tasks)

    def close(self) -> None:
        pass


def test_briefs_a_dying_worker_wrote_are_counted_indexed_and_not_written_again(tmp_path: Path, tiny: Path) -> None:
    recipients = write_csv(tmp_path / "r.csv", people(3))
    plan = plan_batch(recipients, load_inputs([tiny]), [], tmp_path / "out", ("docx", "pdf"))
    summary = run_batch(plan, executor=_DyingAfterOne())
    folder = plan.folder
    assert (summary.written, summary.failed) == (2, 4)  # what is on disk, and what is not
    assert [failure.line for failure in summary.failures] == [3, 4]  # the first row landed: it did not fail
    assert sorted(read_manifest(folder / MANIFEST_NAME)) == ["Person 0000.docx", "Person 0000.pdf"]
    assert "Person 0000.docx" in (folder / "index.csv").read_text(encoding="utf-8")
    again = plan_batch(recipients, load_inputs([tiny]), [], tmp_path / "out", ("docx", "pdf"))
    assert (again.skipped, again.pending) == (2, 4)


@pytest.mark.slow
def test_worker_processes_run_the_clones_code_when_another_briefs_is_on_the_path(tmp_path: Path, tiny: Path) -> None:
    """Run from a clone while an older copy is installed: the workers must not import the older one (every brief failed)."""
    stale = tmp_path / "stale" / "briefs"
    (stale / "batch").mkdir(parents=True)
    (stale / "__init__.py").write_text('"""An older briefs: it imports, and lacks what workers need."""\n', encoding="utf-8")
    (stale / "batch" / "__init__.py").write_text("", encoding="utf-8")
    (stale / "batch" / "jobs.py").write_text("", encoding="utf-8")
    recipients = write_csv(tmp_path / "r.csv", people(40))
    environment = {**os.environ, "PYTHONPATH": str(stale.parent)}
    command = [sys.executable, str(ROOT / "generate.py"), "batch", str(recipients), "--data", str(tiny), "--out", str(tmp_path / "out"),
               "--jobs", "2", "-f", "docx"]
    done = subprocess.run(command, capture_output=True, text=True, check=False, env=environment, timeout=120, cwd=tmp_path)
    assert "2 worker processes" in done.stderr
    assert done.returncode == 0, done.stderr[-2000:]
    assert len(list((tmp_path / "out").rglob("*.docx"))) == 40
