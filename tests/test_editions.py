"""Editions: what changed since an earlier data file, per audience, on the data (`diff`, `--since`)."""

from __future__ import annotations

import copy
import json
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import have
from fuzzing import VALID_DATA
from gitrepo import repository_with_old_edition
from readback import pdf_text, squash


def _write(path: Path, document: dict) -> Path:  # type: ignore[type-arg]
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _editions(tmp_path: Path) -> tuple[Path, Path]:
    old = copy.deepcopy(VALID_DATA)
    old["as_of"] = "2025-10-01"
    old["facts"].append({"id": "gone", "text": "A fact dropped later.", "topics": ["investment"], "sources": ["a"], "status": "confirmed"})
    new = copy.deepcopy(VALID_DATA)
    new["facts"][0]["text"] = "The first fact, reworded."
    new["facts"][1].update(status="confirmed", sources=["a"], note=None)
    del new["facts"][1]["note"]
    new["facts"].append({"id": "fresh", "text": "A new fact.", "topics": ["investment"], "sources": ["a"], "status": "confirmed"})
    new["takeaways"][0]["text"] = "Watch it closely."
    new["figures"][0]["data"] = {"Alpha": 4, "Beta": 1.5, "Gamma": 0}
    return _write(tmp_path / "old.yaml", old), _write(tmp_path / "new.yaml", new)


def test_diff_lists_each_kind_of_change_for_the_audience(cli, tmp_path: Path) -> None:
    old, new = _editions(tmp_path)
    result = cli("diff", old, new, "-a", "investor", "--format", "json")
    assert result.code == 0, result.err
    changes = json.loads(result.out)
    assert changes["since"] == "2025-10-01"
    found = {(c["kind"], c["item"]) for c in changes["audiences"]["investor"]}
    assert {("added", "fresh"), ("removed", "gone"), ("reworded", "one"), ("label", "two"), ("sources", "two"),
            ("added", "takeaway"), ("removed", "takeaway"), ("values", "fig")} <= found
    [label] = [c for c in changes["audiences"]["investor"] if c["kind"] == "label"]
    assert (label["before"], label["after"]) == ("UNVERIFIED", "no label")
    [values] = [c for c in changes["audiences"]["investor"] if c["kind"] == "values"]
    assert (values["before"], values["after"]) == ("Alpha 3", "Alpha 4")


def test_since_opens_each_brief_with_what_changed(cli, tmp_path: Path) -> None:
    old, new = _editions(tmp_path)
    result = cli("--data", new, "--since", old, "--out", tmp_path / "out", "-a", "investor", "-f", "pdf")
    assert result.code == 0, result.err
    text = squash(pdf_text(tmp_path / "out" / "fuzz" / "investor.pdf"))
    assert squash("What changed since 1 October 2025") in text
    assert squash("New: A new fact.") in text and squash("Removed: A fact dropped later.") in text
    assert squash("Reworded: The first fact, reworded. Was: “The first fact.”") in text
    assert text.index(squash("What changed since")) < text.index(squash("Summary"))


def test_no_change_is_said_in_one_line_and_a_profile_may_leave_the_section_out(cli, tmp_path: Path) -> None:
    same = _write(tmp_path / "same.yaml", VALID_DATA)
    result = cli("--data", same, "--since", same, "--out", tmp_path / "out", "-a", "investor", "-f", "pdf")
    assert result.code == 0, result.err
    assert squash("Nothing this brief shows has changed since the edition of 15 November 2025.") in squash(
        pdf_text(tmp_path / "out" / "fuzz" / "investor.pdf"))
    house = tmp_path / "house" / "audiences"
    house.mkdir(parents=True)
    profile = (Path(__file__).parent.parent / "templates" / "audiences" / "investor.yaml").read_text(encoding="utf-8")
    (house / "investor.yaml").write_text(profile + "show_changes: false\n", encoding="utf-8")
    result = cli("--data", same, "--since", same, "--templates", house.parent, "--out", tmp_path / "out2", "-a", "investor", "-f", "pdf")
    assert result.code == 0 and "What changed" not in pdf_text(tmp_path / "out2" / "fuzz" / "investor.pdf")


@pytest.mark.skipif(not have("git"), reason="needs git")
def test_since_reads_a_git_revision_and_says_clearly_when_it_cannot(cli, tmp_path: Path) -> None:
    old, new = _editions(tmp_path)
    repo = tmp_path / "repo"
    repo.mkdir()
    data = repo / "topic.yaml"
    data.write_text(old.read_text(encoding="utf-8"), encoding="utf-8")
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "topic.yaml"], check=True)
    subprocess.run([*git, "commit", "-qm", "first"], check=True)
    data.write_text(new.read_text(encoding="utf-8"), encoding="utf-8")
    result = cli("diff", "HEAD", data, "-a", "investor")
    assert result.code == 0 and "since 2025-10-01" in result.out and "added     fresh: A new fact." in result.out
    missing = cli("diff", "HEAD~5", data)
    assert missing.code == 1 and "OLD HEAD~5: no such data file, nor a git revision (git knows no commit by that name)" in missing.err
    outside = cli("diff", "HEAD", new)
    assert outside.code == 1 and f"OLD HEAD: no such data file, and not read as a git revision of {new} (not in a git repository)" \
        in outside.err


def test_a_batch_with_since_gives_each_recipient_the_changes_of_their_audience(cli, tmp_path: Path) -> None:
    old, new = _editions(tmp_path)
    recipients = tmp_path / "r.csv"
    recipients.write_text("name,audience,email\nAnn,investor,ann@example.org\n", encoding="utf-8")
    result = cli("batch", recipients, "--data", new, "--since", old, "--out", tmp_path / "out", "-f", "pdf", "--jobs", "1")
    assert result.code == 0, result.err
    assert squash("New: A new fact.") in squash(pdf_text(tmp_path / "out" / "fuzz" / "recipients" / "Ann.pdf"))


def _bars(pdf: Path) -> int:
    """Count the change bars: 2-point strokes drawn left of the paragraph they mark."""
    from pypdf import PdfReader
    from pypdf.generic import ContentStream

    count = 0
    reader = PdfReader(pdf)
    for page in reader.pages:
        width = 0.0
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator == b"w":
                width = float(operands[0])
            elif operator == b"m" and width == 2 and float(operands[0]) < 0:  # left of its own paragraph: in the margin
                count += 1
    return count


def test_the_pdf_marks_new_and_changed_items_with_a_change_bar(cli, tmp_path: Path) -> None:
    old, new = _editions(tmp_path)
    assert cli("--data", new, "--since", old, "--out", tmp_path / "since", "-a", "investor", "-f", "pdf").code == 0
    assert cli("--data", new, "--out", tmp_path / "plain", "-a", "investor", "-f", "pdf").code == 0
    # fresh (added), one (reworded), two (label and sources) and the new takeaway
    assert _bars(tmp_path / "since" / "fuzz" / "investor.pdf") == 4
    assert _bars(tmp_path / "plain" / "fuzz" / "investor.pdf") == 0


def test_only_changed_is_a_class_of_a_list_item() -> None:
    from briefs.parsing import MarkupError, parse_blocks

    [block] = parse_blocks('<ul><li>a</li><li class="changed">b</li></ul>', {})
    assert block.changed == (1,)  # type: ignore[union-attr]
    with pytest.raises(MarkupError, match='the only class of <li> is "changed"'):
        parse_blocks('<ul><li class="red">a</li></ul>', {})


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def test_redline_writes_the_changes_as_tracked_revisions(cli, tmp_path: Path) -> None:
    import zipfile

    from lxml import etree

    old, new = _editions(tmp_path)
    assert cli("--data", new, "--redline", "--out", tmp_path / "out", "-a", "investor").code == 2  # needs --since
    result = cli("--data", new, "--since", old, "--redline", "--out", tmp_path / "out", "-a", "investor", "-f", "docx")
    assert result.code == 0, result.err
    document = etree.fromstring(zipfile.ZipFile(tmp_path / "out" / "fuzz" / "investor.redline.docx").read("word/document.xml"))
    inserted = "".join(node.text or "" for node in document.iter(f"{W}ins") for node in node.iter(f"{W}t"))
    deleted = "".join(node.text or "" for node in document.iter(f"{W}delText"))
    assert "The first fact, reworded." in inserted and "A new fact." in inserted
    assert "A fact dropped later." in deleted and "The first fact." in deleted
    revisions = [*document.iter(f"{W}ins"), *document.iter(f"{W}del")]
    assert all(r.get(f"{W}author") == "briefs" and r.get(f"{W}date") == "2025-11-15T00:00:00Z" for r in revisions)
    # The unchanged title is not a revision.
    assert "A fuzzed topic" not in inserted + deleted


@pytest.mark.slow
@pytest.mark.skipif(not have("soffice"), reason="needs LibreOffice")
def test_libreoffice_opens_a_redline_with_its_revisions(cli, tmp_path: Path) -> None:
    old, new = _editions(tmp_path)
    assert cli("--data", new, "--since", old, "--redline", "--out", tmp_path / "out", "-a", "investor", "-f", "docx").code == 0
    profile = tmp_path / "lo-profile"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "fodt", "--outdir",
                    str(tmp_path / "lo"), str(tmp_path / "out" / "fuzz" / "investor.redline.docx")],
                   check=True, capture_output=True, timeout=180)
    flat = (tmp_path / "lo" / "investor.redline.fodt").read_text(encoding="utf-8")
    assert "<text:tracked-changes" in flat
    assert flat.count("<text:insertion>") >= 3 and flat.count("<text:deletion>") >= 3
    assert "A fact dropped later." in flat


def _repo_with_old_edition(tmp_path: Path, old: bytes | None) -> Path:
    return repository_with_old_edition(tmp_path, old, yaml.safe_dump(VALID_DATA, allow_unicode=True, sort_keys=False))


def _files(folder: Path) -> set[Path]:
    return {path for path in folder.rglob("*") if ".git" not in path.relative_to(folder).parts}


needs_git = pytest.mark.skipif(not have("git"), reason="needs git")


@needs_git
def test_a_revision_that_reads_as_a_git_option_is_refused_and_writes_no_file(cli, tmp_path: Path, monkeypatch) -> None:
    data = _repo_with_old_edition(tmp_path, yaml.safe_dump(VALID_DATA).encode())
    monkeypatch.chdir(data.parent)
    before = _files(tmp_path)
    for args in (("diff", "--", "--output=X", data), ("--data", data, "--since=--output=X", "--out", tmp_path / "out")):
        result = cli(*args)
        assert result.code == 1 and len(result.err.splitlines()) == 1, result.err
        assert "--output=X" in result.err and "nor a git revision" in result.err
    assert _files(tmp_path) == before


@needs_git
def test_an_old_edition_that_is_not_utf8_is_one_error_naming_it_at_its_revision(cli, tmp_path: Path) -> None:
    old = yaml.safe_dump(VALID_DATA).replace("A fuzzed topic", "A fuzzed topic caf\xe9").encode("latin-1")
    data = _repo_with_old_edition(tmp_path, old)
    result = cli("diff", "HEAD~1", data)
    assert result.code == 1 and "Traceback" not in result.err and len(result.err.splitlines()) == 1, result.err
    at, newline = old.index(b"\xe9"), b"\n"
    assert f"error: topic.yaml at HEAD~1:{old.count(newline, 0, at) + 1}: not UTF-8 text (byte {at})" in result.err


@needs_git
def test_errors_about_an_old_edition_name_it_at_its_revision_not_a_temporary_file(cli, tmp_path: Path) -> None:
    broken = copy.deepcopy(VALID_DATA)
    broken["facts"][1]["status"] = "rumoured"
    text = yaml.safe_dump(broken, sort_keys=False)
    data = _repo_with_old_edition(tmp_path, text.encode())
    line = text.splitlines().index("  status: rumoured") + 1
    for args in (("diff", "HEAD~1", data), ("--data", data, "--since", "HEAD~1", "--out", tmp_path / "out")):
        result = cli(*args)
        assert result.code == 1, result.err
        assert result.err.startswith(f"error: topic.yaml at HEAD~1:{line}: facts[1].status: "), result.err
        assert "@old" not in result.err and "briefs-edition" not in result.err


@needs_git
def test_a_data_file_added_since_the_revision_is_all_new_with_a_note(cli, tmp_path: Path) -> None:
    data = _repo_with_old_edition(tmp_path, None)
    result = cli("diff", "HEAD~1", data, "-a", "investor", "--format", "json")
    assert result.code == 0, result.err
    assert "topic.yaml did not exist at HEAD~1: every item is new" in result.err
    changes = json.loads(result.out)
    assert changes["first_edition"] is True
    kinds = {c["kind"] for c in changes["audiences"]["investor"]}
    items = {c["item"] for c in changes["audiences"]["investor"]}
    assert kinds == {"added"} and {"one", "fig", "takeaway"} <= items
    result = cli("--data", data, "--since", "HEAD~1", "--out", tmp_path / "out", "-a", "investor", "-f", "pdf")
    assert result.code == 0, result.err
    text = squash(pdf_text(tmp_path / "out" / "fuzz" / "investor.pdf"))
    assert squash("This topic had no earlier edition: everything below is new.") in text
    assert squash("New: The first fact.") in text


def test_diff_with_a_missing_old_file_says_that_file_does_not_exist(cli, tmp_path: Path) -> None:
    _, new = _editions(tmp_path)
    result = cli("diff", tmp_path / "missing.yaml", new)
    assert result.code == 1 and len(result.err.splitlines()) == 1, result.err
    assert f"OLD {tmp_path / 'missing.yaml'}: no such data file" in result.err and "--since" not in result.err


@needs_git
def test_an_old_edition_over_the_size_limit_is_refused_before_it_is_read(cli, tmp_path: Path, monkeypatch) -> None:
    import tracemalloc

    from briefs import yamlsource

    monkeypatch.setattr(yamlsource, "MAX_BYTES", 1_000_000)
    huge = b"# padding\n" * 2_000_000  # 20 MB: reading it at all would pass the peak allowed below
    data = _repo_with_old_edition(tmp_path, huge)
    cli("diff", "HEAD~1", data)  # imports every module it needs, which tracing would count
    tracemalloc.start()
    try:
        result = cli("diff", "HEAD~1", data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < len(huge) // 2, f"peak {peak:,} bytes"
    assert result.code == 1, result.err
    assert f"topic.yaml at HEAD~1: file is {len(huge):,} bytes; the limit is 1,000,000" in result.err


def test_a_reworded_claim_in_circulation_is_a_change_of_the_brief_that_shows_it() -> None:
    from conftest import DEFAULT_DATA, ROOT

    from briefs.editions import diff
    from briefs.loading import load_dataset, load_profile
    from briefs.models import Dataset

    new = load_dataset(DEFAULT_DATA)
    facts = tuple(f.model_copy(update={"text": "An older wording."}) if f.id == "joint-fund-size" else f for f in new.facts)
    old = Dataset.model_validate(new.model_dump() | {"facts": [f.model_dump() for f in facts]})
    changes = diff(old, new, load_profile(ROOT / "templates" / "audiences" / "investor.yaml"))
    assert [(c.kind, c.item) for c in changes.items if c.before == "An older wording."] == [("reworded", "joint-fund-size")]
