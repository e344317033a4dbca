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
    assert missing.code == 1 and "--since HEAD~5: git cannot show topic.yaml at that revision" in missing.err
    outside = cli("diff", "HEAD", new)
    assert outside.code == 1 and "is not in a git repository" in outside.err


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
